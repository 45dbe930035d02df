"""The plan rule check, on plain model objects: every rule and its exact boundaries."""
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from webapp.core.money import totals
from webapp.models import BudgetLine, Call, Kpi, KpiTarget, Milestone, Plan, PlanItem, Report, Solution
from webapp.plans.rules import Violation, check, message

OPENS = datetime(2025, 3, 1, 0, 0, tzinfo=timezone.utc)       # 09:00 in Seoul
CLOSES = datetime(2025, 4, 30, 9, 0, tzinfo=timezone.utc)     # 18:00 in Seoul
INSIDE = datetime(2025, 4, 1, tzinfo=timezone.utc)


def _call(**kw):
    values = dict(id=1, title="2025", year=2025, opens_at=OPENS, closes_at=CLOSES, cap_total=4_000_000_000,
                  max_national_share_bp=5000, max_national_amount=2_000_000_000, selections=16, build_months=12)
    values.update(kw)
    return Call(**values)


def _item(item_id=1, national=1_000_000_000, local=1_000_000_000, private=0, **kw):
    item = PlanItem(id=item_id, title=f"item {item_id}", solution=Solution(code="s", name="s"),
                    reports=[Report(id=item_id)],
                    kpi_targets=[KpiTarget(kpi=Kpi(code="k"), baseline_value=Decimal("10"), target_value=Decimal("5"))],
                    milestones=[Milestone(title="open", due_on=date(2025, 12, 1))])
    for source, amount in (("national", national), ("local", local), ("private", private)):
        if amount:
            item.budget_lines.append(BudgetLine(source=source, amount=amount, year=2025))
    for name, value in kw.items():
        setattr(item, name, value)
    return item


def _plan(*items, **call):
    return Plan(id=1, title="plan", call=_call(**call), items=list(items))


def codes(plan, now=INSIDE):
    return sorted(v.code for v in check(plan, now))


def test_a_complete_plan_inside_the_window_passes():
    assert check(_plan(_item()), INSIDE) == []


def test_a_plan_without_items_is_a_violation():
    assert codes(_plan()) == ["no_items"]


def test_total_exactly_the_cap_is_allowed():
    assert codes(_plan(_item(national=2_000_000_000, local=2_000_000_000))) == []


def test_one_won_over_the_cap_is_a_violation():
    assert codes(_plan(_item(national=2_000_000_000, local=2_000_000_000, private=1))) == ["over_cap"]


def test_three_thirds_plus_one_sum_exactly_to_the_cap():
    items = [_item(i, national=0, local=1_333_333_333) for i in (1, 2, 3)]
    items[0].budget_lines.append(BudgetLine(source="private", amount=1, year=2025))
    assert totals(items)["total"] == 4_000_000_000
    assert codes(_plan(*items)) == []
    items[0].budget_lines.append(BudgetLine(source="private", amount=1, year=2025))
    assert codes(_plan(*items)) == ["over_cap"]


def test_exactly_half_national_is_allowed():
    assert codes(_plan(_item(national=1_500_000_001, local=1_500_000_001))) == []


def test_national_share_one_won_over_half_is_a_violation():
    assert codes(_plan(_item(national=1_500_000_001, local=1_500_000_000))) == ["national_share"]


def test_sixty_percent_national_names_the_share():
    [violation] = check(_plan(_item(national=1_200_000_000, local=800_000_000)), INSIDE)
    assert violation == Violation("national_share", {"share_bp": 6000, "max_bp": 5000})
    assert "60.00" in str(message(violation)) and "50" in str(message(violation))


def test_a_share_a_hair_over_the_limit_reads_over_the_limit():
    # 2,000,000,001 of 4,000,000,000 is 50.0000000025 %: rounded up it reads 50.01 %, never 50.00 %.
    [violation] = check(_plan(_item(national=2_000_000_001, local=1_999_999_999), cap_total=4_000_000_000,
                              max_national_amount=3_000_000_000), INSIDE)
    assert violation.params == {"share_bp": 5001, "max_bp": 5000}
    assert "50.01 %" in str(message(violation))


def test_violations_are_codes_and_json_ready_numbers():
    plan = _plan(_item(national=3_000_000_000, local=1_000_000_001))
    found = {v.code: v.as_dict() for v in check(plan, CLOSES)}
    assert found["over_cap"] == {"code": "over_cap", "params": {"total": 4_000_000_001, "cap": 4_000_000_000},
                                 "item_id": None}
    assert found["national_amount"]["params"] == {"amount": 3_000_000_000, "max": 2_000_000_000}
    assert found["window_closed"]["params"] == {"at": CLOSES.isoformat()}
    assert "2025-04-30 18:00" in str(message(Violation(**found["window_closed"])))


def test_national_share_limit_comes_from_the_call():
    plan = _plan(_item(national=700_000_000, local=300_000_000), max_national_share_bp=7000)
    assert codes(plan) == []
    plan.call.max_national_share_bp = 6999
    assert codes(plan) == ["national_share"]


def test_only_national_money_is_a_share_violation():
    assert codes(_plan(_item(national=10, local=0))) == ["national_share"]


def test_national_amount_exactly_the_limit_is_allowed_one_won_more_is_not():
    assert codes(_plan(_item(national=1_000_000_000, local=1_000_000_000), max_national_amount=1_000_000_000)) == []
    plan = _plan(_item(national=1_000_000_001, local=1_000_000_001), max_national_amount=1_000_000_000)
    assert codes(plan) == ["national_amount"]


def test_item_without_solution():
    assert codes(_plan(_item(solution=None))) == ["no_solution"]


def test_item_without_report_or_proposal():
    assert codes(_plan(_item(reports=[]))) == ["no_link"]


def test_a_proposal_alone_is_a_link():
    from webapp.models import Proposal

    assert codes(_plan(_item(reports=[], proposals=[Proposal(id=3)]))) == []


@pytest.mark.parametrize("baseline,target", [(None, Decimal("1")), (Decimal("1"), None), (None, None)])
def test_item_needs_a_kpi_target_with_baseline_and_target(baseline, target):
    item = _item(kpi_targets=[KpiTarget(kpi=Kpi(code="k"), baseline_value=baseline, target_value=target)])
    assert codes(_plan(item)) == ["no_kpi_target"]


def test_item_without_kpi_targets():
    assert codes(_plan(_item(kpi_targets=[]))) == ["no_kpi_target"]


def test_zero_is_a_real_baseline():
    item = _item(kpi_targets=[KpiTarget(kpi=Kpi(code="k"), baseline_value=Decimal("0"), target_value=Decimal("3"))])
    assert codes(_plan(item)) == []


def test_milestones_on_the_build_period_edges_are_allowed():
    # Closes 2025-04-30 18:00 Seoul; 12 months of building: 2025-04-30 .. 2026-04-30.
    item = _item(milestones=[Milestone(title="a", due_on=date(2025, 4, 30)),
                             Milestone(title="b", due_on=date(2026, 4, 30))])
    assert codes(_plan(item)) == []


@pytest.mark.parametrize("due", [date(2025, 4, 29), date(2026, 5, 1)])
def test_milestone_outside_the_build_period(due):
    assert codes(_plan(_item(milestones=[Milestone(title="late", due_on=due)]))) == ["milestone_outside"]


def test_build_period_follows_the_call():
    item = _item(milestones=[Milestone(title="b", due_on=date(2026, 4, 30))])
    assert codes(_plan(item, build_months=6)) == ["milestone_outside"]


def test_window_edges():
    plan = _plan(_item())
    assert codes(plan, OPENS - timedelta(microseconds=1)) == ["window_not_open"]
    assert codes(plan, OPENS) == []
    assert codes(plan, CLOSES - timedelta(microseconds=1)) == []
    assert codes(plan, CLOSES) == ["window_closed"]


def test_window_compares_naive_stored_times_as_utc():
    # SQLite gives stored UTC times back without their zone.
    plan = _plan(_item(), opens_at=OPENS.replace(tzinfo=None), closes_at=CLOSES.replace(tzinfo=None))
    assert codes(plan, CLOSES - timedelta(seconds=1)) == []
    assert codes(plan, CLOSES) == ["window_closed"]


def test_every_violation_is_reported_with_its_item():
    bad = _item(2, solution=None, reports=[], kpi_targets=[], national=3_000_000_000, local=0)
    found = check(_plan(_item(1), bad), CLOSES)
    assert sorted(v.code for v in found) == sorted(
        ["over_cap", "national_share", "national_amount", "no_solution", "no_link", "no_kpi_target", "window_closed"])
    assert {v.item_id for v in found if v.code.startswith("no_")} == {2}
