"""A resident opens a submitted plan: map of sites and reports, budget and KPI tables, comments, print page."""
import re

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import log_in
from tests.fixtures.people import PASSWORD
from tests.fixtures.plans import make_plan, submit
from webapp.extensions import db
from webapp.models import Vote


def _full(page, path):
    """A full-page screenshot next to the viewport one, to look at the whole document."""
    page.screenshot(path=str(path.with_name(path.stem + "-full.png")), full_page=True)


@pytest.fixture
def plan(planner, resident, neighbour, add_report, places):
    first = add_report(resident, title="학교 앞 횡단보도가 위험해요", lon=127.05, lat=37.052)
    second = add_report(neighbour, title="밤에 너무 어두워요", lon=127.045, lat=37.041)
    db.session.add_all([Vote(report_id=first.id, user_id=resident.id), Vote(report_id=first.id, user_id=neighbour.id)])
    db.session.commit()
    plan = make_plan(places["east"], planner, reports=[first, second])
    submit(plan, planner)
    return plan


def test_resident_reads_plan_comments_and_prints(new_page, plan, resident, screenshot):
    page = new_page()
    log_in(page, resident.email)
    page.goto(f"/plans/{plan.id}")
    expect(page.locator("#plan-title")).to_have_text("동시 스마트 안전 계획")
    # Three sites (a point, a line, an area) and the two linked reports as markers.
    expect(page.locator("#plan-map path.site-shape")).to_have_count(3)
    expect(page.locator("#plan-map path.report-marker")).to_have_count(2)
    expect(page.locator("#plan-map")).to_have_attribute("data-reports", "2")
    crosswalk = page.locator(f"#item-{plan.items[0].id}")
    expect(crosswalk.locator("table.budget tbody tr")).to_have_count(2)
    expect(crosswalk.locator("table.budget tbody tr").first).to_contain_text("600,000,000")
    expect(crosswalk.locator("tr[data-kpi=ped_accidents] .kpi-baseline")).to_contain_text("12 건/년")
    expect(crosswalk.locator("tr[data-kpi=ped_accidents] .kpi-target")).to_contain_text("8.5 건/년")
    expect(crosswalk.locator(".answers.reports li")).to_have_count(2)
    expect(crosswalk.locator(".answers.reports li").first).to_contain_text("2")
    expect(page.locator("#national-share")).to_have_text("55.56 %")
    page.locator("#plan-map path.report-marker").first.click(force=True)
    expect(page.locator(".leaflet-popup-content")).to_be_visible()
    _full(page, screenshot(page, "plan-public"))

    page.fill("#body", "<b>좋은 계획</b>입니다")
    page.click("#public-comment-form button[type=submit]")
    expect(page.locator(".plan-comment .comment-body")).to_have_text("<b>좋은 계획</b>입니다")

    page.click(".plan-links a[href*='/print']")
    expect(page).to_have_url(re.compile(rf"/plans/{plan.id}/print\?version=1$"))
    expect(page.locator("#plan-title")).to_have_text("동시 스마트 안전 계획")
    expect(page.locator("table.kpis")).to_have_count(1)
    page.emulate_media(media="print")
    expect(page.locator(".print-actions")).to_be_hidden()
    _full(page, screenshot(page, "plan-print"))


def test_compare_page_looks_right(new_page, plan, planner, screenshot):
    plan.items[0].title = "스마트 횡단보도 2단계"
    plan.items[1].budget_lines[0].amount = 300_000_000
    db.session.commit()
    submit(plan, planner)
    page = new_page()
    page.goto(f"/plans/{plan.id}/versions")
    page.check("#a-1")
    page.check("#b-2")
    page.click("#compare-form button[type=submit]")
    expect(page).to_have_url(re.compile(rf"/plans/{plan.id}/compare\?(a=1&b=2|b=2&a=1)$"))
    expect(page.locator(".compare-item[data-status=changed]")).to_have_count(2)
    expect(page.locator("[data-field=title] ins")).to_have_text("스마트 횡단보도 2단계")
    _full(page, screenshot(page, "plan-compare"))


def test_consultant_comments_on_an_item_and_planner_replies(new_page, planner, places, screenshot):
    from webapp.auth import service as users

    plan = make_plan(places["east"], planner)
    consultant = users.create_account("consultant@example.org", "동시 자문", PASSWORD,
                                      roles=["consultant"], municipality=places["east"])
    item = plan.items[1].id
    page = new_page()
    log_in(page, consultant.email)
    page.goto(f"/plans/{plan.id}")
    expect(page).to_have_url(re.compile(rf"/plans/{plan.id}/consultation$"))
    page.fill(f"#comment-{item}", "CCTV 위치를 공원 입구로 옮기면 어떨까요?")
    page.click(f"#item-{item}-comments button[type=submit]")
    expect(page.locator(f"#item-{item}-comments .plan-comment .comment-body")).to_have_text(
        "CCTV 위치를 공원 입구로 옮기면 어떨까요?")
    expect(page.locator(".reply-form")).to_have_count(0)

    staff = new_page()
    log_in(staff, planner.email)
    staff.goto(f"/plans/{plan.id}/consultation")
    staff.locator(f"#item-{item}-comments .reply-form textarea").fill("반영하겠습니다.")
    staff.locator(f"#item-{item}-comments .reply-form button").click()
    expect(staff.locator(f"#item-{item}-comments .plan-reply .comment-body")).to_have_text("반영하겠습니다.")
    staff.locator(f"#item-{item}-comments").scroll_into_view_if_needed()
    _full(staff, screenshot(staff, "plan-consultation"))
