"""The plan acceptance journey: hot-spot reports -> two items -> 60 % national refused -> fixed -> submitted."""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import log_in
from webapp.calls import service as calls
from webapp.core.time import utcnow
from webapp.extensions import db
from webapp.models import Call, Kpi, Report, Solution


@pytest.fixture
def setting(places, admin):
    now = utcnow()
    call = calls.create(admin, {"title": "2025 스마트시티 공모", "year": now.year, "opens_at": now - timedelta(days=1),
                                "closes_at": now + timedelta(days=20)})
    solution = Solution(code="smart-light", name="스마트 가로등", name_en="Smart streetlight", domain="safety",
                        description="", description_en="")
    kpi = Kpi(code="night-accidents", name="야간 사고", name_en="Night accidents", unit="건", unit_en="cases",
              theme="safety", direction="decrease", standards="")
    db.session.add_all([solution, kpi])
    db.session.commit()
    return {"call": call, "solution": solution, "kpi": kpi}


def fill_item(page, key, title, solution, reports, lines, kpi, milestone):
    form = page.locator(f"#item-{key} form.item-form")
    form.locator("input[name=title]").fill(title)
    form.locator("select[name=solution]").select_option(str(solution))
    for rid in reports:
        form.locator(f"input[name=reports][value='{rid}']").check()
    for i, (source, amount) in enumerate(lines):
        form.locator(f"select[name=budget_lines-{i}-source]").select_option(source)
        form.locator(f"input[name=budget_lines-{i}-amount]").fill(amount)
    form.locator("select[name=kpi_targets-0-kpi]").select_option(str(kpi))
    form.locator("input[name=kpi_targets-0-baseline_value]").fill("12")
    form.locator("input[name=kpi_targets-0-target_value]").fill("6.5")
    form.locator("input[name=milestones-0-title]").fill("설치 완료")
    form.locator("input[name=milestones-0-due_on]").fill(milestone)
    return form


def test_planner_builds_checks_fixes_and_submits_a_plan(new_page, resident, planner, add_report, setting, screenshot):
    # Three reports within a few dozen metres: one hot spot; one more far away.
    hot = [add_report(resident, lon=127.050 + d, lat=37.050 + d, title=f"어두운 골목 {i}")
           for i, d in enumerate((0, 0.0002, 0.0004))]
    lone = add_report(resident, lon=127.08, lat=37.08, title="고장난 신호등")
    start, _ = calls.build_period(setting["call"])
    milestone = (start + timedelta(days=60)).isoformat()

    page = new_page()
    log_in(page, planner.email)
    page.goto("/plans/")
    page.click("a.button.primary[href$='/plans/new']")
    page.fill("#title", "동시 안전한 밤길 계획")
    page.click("main form button.primary")
    expect(page).to_have_url(re.compile(r"/plans/\d+/edit$"))
    expect(page.locator("#violations li[data-code=no_items]")).to_be_visible()
    expect(page.locator("#submit-plan")).to_be_disabled()
    # The hot-spot reports come first and are marked.
    expect(page.locator("#item-new .choices li").first).to_contain_text("어두운 골목")
    expect(page.locator("#item-new .choices li .badge.hot")).to_have_count(3)

    form = fill_item(page, "new", "스마트 가로등", setting["solution"].id, [hot[0].id, hot[1].id],
                     [("national", "1,200,000,000"), ("local", "400,000,000")], setting["kpi"].id, milestone)
    # Draw a site: the marker tool, then a click on the map.
    page.locator("#item-new .leaflet-draw-draw-marker").click()
    page.locator("#map-new").click(position={"x": 200, "y": 130})
    expect(page.locator("#sites-new")).to_have_value(re.compile(r"FeatureCollection"))
    # Totals follow the typing, before anything is saved.
    expect(page.locator("#total-total")).to_have_text("1,600,000,000")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/edit#item-\d+$"))

    page.click("details.new-item > summary")
    form = fill_item(page, "new", "안심 비상벨", setting["solution"].id, [hot[2].id, lone.id],
                     [("local", "400,000,000")], setting["kpi"].id, milestone)
    form.locator("button[type=submit]").click()
    expect(page.locator("section.plan-item:not(#item-new)")).to_have_count(2)
    expect(page.locator("#total-national")).to_have_text("1,200,000,000")
    expect(page.locator("#national-share")).to_have_text("60.00 %")
    share = page.locator("#violations li[data-code=national_share]")
    expect(share).to_be_visible()
    expect(share).to_contain_text("60.00")
    expect(page.locator("#violations li")).to_have_count(1)
    expect(page.locator("#submit-plan")).to_be_disabled()
    page.locator("#check").scroll_into_view_if_needed()
    screenshot(page, "plan-editor-violation")

    # The fix: 800 million national of 1.6 billion is exactly 50 %, which the call allows.
    first = page.locator("section.plan-item").first
    first.locator("input[name=budget_lines-0-amount]").fill("800,000,000")
    expect(page.locator("#national-share")).to_have_text("50.00 %")
    # The budget rules are checked again as the amount is typed: the violation goes before the item is saved,
    # but what is submitted is what is saved, so Submit waits for the save.
    expect(page.locator("#violations li[data-code=national_share]")).to_have_count(0)
    expect(page.locator("#no-violations")).to_be_visible()
    expect(page.locator("#submit-plan")).to_be_disabled()
    first.locator("form.item-form button[type=submit]").click()
    expect(page.locator("#no-violations")).to_be_visible()
    expect(page.locator("#violations li")).to_have_count(0)
    expect(page.locator("#submit-plan")).to_be_enabled()
    screenshot(page, "plan-editor-fixed")
    page.click("#submit-plan")
    expect(page.locator("body")).to_contain_text("계획 제1판을 제출했습니다.")

    db.session.expire_all()
    for report in hot + [lone]:
        assert db.session.get(Report, report.id).status == "planned"

    # The window closes; the next submission is refused with a clear message.
    call = db.session.get(Call, setting["call"].id)
    call.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    page.fill("#plan-summary", "고친 요약")
    page.click("#plan-fields button[type=submit]")
    expect(page.locator("#violations li[data-code=window_closed]")).to_be_visible()
    expect(page.locator("#submit-plan")).to_be_disabled()
    # Even a forced click is refused by the server.
    page.evaluate("document.getElementById('submit-plan').form.submit()")
    expect(page.locator("body")).to_contain_text("공모 접수가 ")
    expect(page.locator("body")).to_contain_text("마감되었습니다")
    screenshot(page, "plan-editor-closed")

    # The resident sees that the problem is in the plan, and its status.
    reader = new_page()
    log_in(reader, resident.email)
    reader.goto(f"/reports/{hot[0].id}")
    expect(reader.locator(".plan-included")).to_contain_text("동시 안전한 밤길 계획")
    expect(reader.locator(".badge.status-planned").first).to_be_visible()
    screenshot(reader, "report-included-in-plan")
