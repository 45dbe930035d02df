"""The programme's rules for a plan against its call: one check that returns every violation."""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l

from webapp.labels import percent
from webapp.models import BASIS_POINTS, Plan
from webapp.models.base import as_utc, utcnow
from webapp.services.calls import build_period, seoul
from webapp.services.plan_data import totals


@dataclass(frozen=True)
class Violation:
    """One broken rule; `message` is translated when shown; `item_id` names the item at fault, if any."""

    code: str
    message: object
    item_id: int | None = None

    def as_dict(self) -> dict:
        return {"code": self.code, "message": str(self.message), "item_id": self.item_id}


def won(amount: int) -> str:
    """An amount of won with thousands separators (integers only)."""
    return f"{int(amount):,}"


def _budget(plan: Plan, sums: dict) -> list[Violation]:
    call, found = plan.call, []
    total, national = sums["total"], sums["national"]
    if total > call.cap_total:
        found.append(Violation("over_cap", _l(
            "The total budget of %(total)s KRW is over the call's cap of %(cap)s KRW.",
            total=won(total), cap=won(call.cap_total))))
    # Integers only: national / total <= share_bp / 10000, cross-multiplied; shown rounded up.
    if national * BASIS_POINTS > total * call.max_national_share_bp:
        found.append(Violation("national_share", _l(
            "National money is %(share)s %% of the budget; the call allows at most %(max)s %%.",
            share=percent(-(-national * BASIS_POINTS // total)) if total else "100", max=percent(call.max_national_share_bp))))
    if national > call.max_national_amount:
        found.append(Violation("national_amount", _l(
            "National money of %(amount)s KRW is over the call's limit of %(max)s KRW.",
            amount=won(national), max=won(call.max_national_amount))))
    return found


def _items(plan: Plan) -> list[Violation]:
    found = []
    start, end = build_period(plan.call)
    for number, item in enumerate(plan.items, start=1):
        name = {"n": number, "title": item.title}
        if item.solution is None:
            found.append(Violation("no_solution", _l("Item %(n)d (%(title)s) names no catalogue solution.", **name), item.id))
        if not item.reports and not item.proposals:
            found.append(Violation("no_link", _l(
                "Item %(n)d (%(title)s) links no resident report or proposal.", **name), item.id))
        if not any(t.baseline_value is not None and t.target_value is not None for t in item.kpi_targets):
            found.append(Violation("no_kpi_target", _l(
                "Item %(n)d (%(title)s) has no KPI target with both a baseline and a target value.", **name), item.id))
        late = [m for m in item.milestones if not start <= m.due_on <= end]
        if late:
            found.append(Violation("milestone_outside", _l(
                "Item %(n)d (%(title)s): milestone \"%(milestone)s\" is outside the build period %(start)s to %(end)s.",
                milestone=late[0].title, start=start.isoformat(), end=end.isoformat(), **name), item.id))
    return found


def _window(plan: Plan, now: datetime) -> list[Violation]:
    call, now = plan.call, as_utc(now)
    if now < as_utc(call.opens_at):
        return [Violation("window_not_open", _l(
            "The call opens for submissions at %(at)s (Seoul time).", at=seoul(call.opens_at).strftime("%Y-%m-%d %H:%M")))]
    if now >= as_utc(call.closes_at):
        return [Violation("window_closed", _l(
            "The call closed for submissions at %(at)s (Seoul time).", at=seoul(call.closes_at).strftime("%Y-%m-%d %H:%M")))]
    return []


def check(plan: Plan, now: datetime | None = None, sums: dict | None = None) -> list[Violation]:
    """Every rule the plan breaks against its call at `now` (UTC): budget, items, milestones, window.

    `sums` (totals by source) stands in for the stored budget when the editor previews unsaved amounts.
    """
    found = [] if plan.items else [Violation("no_items", _l("The plan has no items yet."))]
    found += _budget(plan, sums or totals(plan.items))
    found += _items(plan)
    found += _window(plan, now or utcnow())
    return found
