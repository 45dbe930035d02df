"""One share everywhere: 2,000,000,001 national of 4,000,000,000 KRW reads 50.01 % in every place that shows it."""
from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import log_in
from tests.fixtures.plans import kpi, make_call, solution, submit
from webapp.extensions import db
from webapp.models import BudgetLine, KpiTarget, Milestone, Plan, PlanItem

SHARE = "50.01 %"  # 50.0000000025 %, rounded up: above the 50 % limit, so it must never read 50.00 %


@pytest.fixture
def plan(places, planner, resident, add_report):
    call = make_call()
    call.max_national_amount = 3_000_000_000  # only the share is at fault
    plan = Plan(municipality_id=places["east"].id, call_id=call.id, title="반올림 계획", created_by_id=planner.id)
    db.session.add(plan)
    db.session.flush()
    # The milestone falls inside the build period (the call closes in ten days; twelve months of building).
    item = PlanItem(plan_id=plan.id, solution_id=solution().id, title="스마트 횡단보도", position=1,
                    reports=[add_report(resident)],
                    kpi_targets=[KpiTarget(kpi_id=kpi().id, baseline_value=Decimal("12"), target_value=Decimal("8"))],
                    milestones=[Milestone(title="설치", due_on=call.closes_at.date() + timedelta(days=60))])
    item.budget_lines = [BudgetLine(source="national", amount=2_000_000_001, year=2026),
                         BudgetLine(source="local", amount=1_999_999_999, year=2026)]
    db.session.add(item)
    db.session.commit()
    submit(plan, planner)  # a version frozen as it is (the factory skips the rule check), for the public pages
    return plan


def test_the_national_share_is_one_number_everywhere(new_page, plan, planner, screenshot):
    page = new_page()
    log_in(page, planner.email)

    # The API's check: the number, its text and the violation's number.
    check = page.request.get(f"/api/v1/plans/{plan.id}/check").json()
    assert check["national_share_bp"] == 5001 and check["shown"]["national_share"] == SHARE
    [violation] = check["violations"]
    assert violation["code"] == "national_share" and violation["params"]["share_bp"] == 5001
    assert "50.01" in violation["message"] and "50.00" not in violation["message"]

    # The editor: the share beside the violation that names it.
    page.goto(f"/plans/{plan.id}/edit")
    share, message = page.locator("#national-share"), page.locator("#violations li[data-code=national_share]")
    expect(share).to_have_text(SHARE)
    expect(message).to_contain_text("50.01")
    # Typed amounts: the share shown is the server's preview, with the same rounding as its rule.
    amount = page.locator("section.plan-item").first.locator("input[name=budget_lines-0-amount]")
    amount.fill("1,999,999,999")  # exactly half of 3,999,999,998
    expect(share).to_have_text("50.00 %")
    expect(message).to_have_count(0)
    amount.fill("2,000,000,001")
    expect(page.locator("#total-total")).to_have_text("4,000,000,000")
    expect(share).to_have_text(SHARE)
    expect(message).to_contain_text("50.01")
    screenshot(page, "plan-share-editor")

    # The public page and the print page of the submitted version.
    page.goto(f"/plans/{plan.id}")
    expect(page.locator("#national-share")).to_have_text(SHARE)
    expect(page.locator("#plan-totals tr[data-source=national]")).to_contain_text(SHARE)
    page.goto(f"/plans/{plan.id}/print?version=1")
    expect(page.locator("#national-share")).to_have_text(SHARE)
    expect(page.locator("#plan-totals tr[data-source=national]")).to_contain_text(SHARE)
