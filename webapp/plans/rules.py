"""The programme's rules for a plan against its call: one check that returns every violation.

The check returns codes and numbers (`Violation`); `message` turns one into the user's language
where it is shown (API response, editor page, the submission's refusal); `outcome` is the check
with its messages and totals, as the API and the editor show it.
"""
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l

from webapp.calls.service import build_period
from webapp.core import money
from webapp.core.time import as_utc, seoul, utcnow
from webapp.models import Plan


@dataclass(frozen=True)
class Violation:
    """One broken rule: a stable code, its numbers (JSON-ready) and the item at fault, if any."""

    code: str
    params: dict = field(default_factory=dict)
    item_id: int | None = None

    def as_dict(self) -> dict:
        """The violation as JSON-ready data: code, params, item_id."""
        return {"code": self.code, "params": dict(self.params), "item_id": self.item_id}


def _budget(plan: Plan, sums: dict) -> list[Violation]:
    call, found = plan.call, []
    total, national = sums["total"], sums["national"]
    if total > call.cap_total:
        found.append(Violation("over_cap", {"total": total, "cap": int(call.cap_total)}))
    # The rounded-up share decides, so the share the user sees is over the limit exactly when this fires.
    share = money.share_bp(national, total)
    if money.over_share(national, total, call.max_national_share_bp):
        found.append(Violation("national_share", {"share_bp": share, "max_bp": call.max_national_share_bp}))
    if national > call.max_national_amount:
        found.append(Violation("national_amount", {"amount": national, "max": int(call.max_national_amount)}))
    return found


def _items(plan: Plan) -> list[Violation]:
    found = []
    start, end = build_period(plan.call)
    for number, item in enumerate(plan.items, start=1):
        name = {"n": number, "title": item.title}
        if item.solution is None:
            found.append(Violation("no_solution", dict(name), item.id))
        if not item.reports and not item.proposals:
            found.append(Violation("no_link", dict(name), item.id))
        if not any(t.baseline_value is not None and t.target_value is not None for t in item.kpi_targets):
            found.append(Violation("no_kpi_target", dict(name), item.id))
        late = [m for m in item.milestones if not start <= m.due_on <= end]
        if late:
            found.append(Violation("milestone_outside", {
                **name, "milestone": late[0].title, "start": start.isoformat(), "end": end.isoformat()}, item.id))
    return found


def _window(plan: Plan, now: datetime) -> list[Violation]:
    call, now = plan.call, as_utc(now)
    if now < as_utc(call.opens_at):
        return [Violation("window_not_open", {"at": as_utc(call.opens_at).isoformat()})]
    if now >= as_utc(call.closes_at):
        return [Violation("window_closed", {"at": as_utc(call.closes_at).isoformat()})]
    return []


def check(plan: Plan, now: datetime | None = None, sums: dict | None = None) -> list[Violation]:
    """Every rule the plan breaks against its call at `now` (UTC): budget, items, milestones, window.

    `sums` (totals by source) stands in for the stored budget when the editor previews unsaved amounts.
    """
    found = [] if plan.items else [Violation("no_items")]
    found += _budget(plan, sums or money.totals(plan.items))
    found += _items(plan)
    found += _window(plan, now or utcnow())
    return found


def _seoul_text(iso: str) -> str:
    return seoul(datetime.fromisoformat(iso)).strftime("%Y-%m-%d %H:%M")


# How each code reads, from its params; money goes through webapp.core.money like everywhere else.
_MESSAGES = {
    "no_items": lambda p: _l("The plan has no items yet."),
    "over_cap": lambda p: _l("The total budget of %(total)s KRW is over the call's cap of %(cap)s KRW.",
                             total=money.grouped(p["total"]), cap=money.grouped(p["cap"])),
    "national_share": lambda p: _l("National money is %(share)s %% of the budget; the call allows at most %(max)s %%.",
                                   share=money.percent_text(p["share_bp"]), max=money.limit_text(p["max_bp"])),
    "national_amount": lambda p: _l("National money of %(amount)s KRW is over the call's limit of %(max)s KRW.",
                                    amount=money.grouped(p["amount"]), max=money.grouped(p["max"])),
    "no_solution": lambda p: _l("Item %(n)d (%(title)s) names no catalogue solution.", **p),
    "no_link": lambda p: _l("Item %(n)d (%(title)s) links no resident report or proposal.", **p),
    "no_kpi_target": lambda p: _l(
        "Item %(n)d (%(title)s) has no KPI target with both a baseline and a target value.", **p),
    "milestone_outside": lambda p: _l(
        "Item %(n)d (%(title)s): milestone \"%(milestone)s\" is outside the build period %(start)s to %(end)s.", **p),
    "window_not_open": lambda p: _l("The call opens for submissions at %(at)s (Seoul time).", at=_seoul_text(p["at"])),
    "window_closed": lambda p: _l("The call closed for submissions at %(at)s (Seoul time).", at=_seoul_text(p["at"])),
}


def message(violation: Violation):
    """The violation in words, translated when shown (a lazy string)."""
    return _MESSAGES[violation.code](violation.params)


def shown(violation: Violation) -> dict:
    """The violation as the API and the pages show it: code, params, item_id and the translated message."""
    return {**violation.as_dict(), "message": str(message(violation))}


@dataclass(frozen=True)
class Outcome:
    """A check as shown (dumped by webapp.plans.schemas.output.CheckOut): the violations with their messages,
    the totals checked, and whether those were typed in the editor but not saved (a preview)."""

    violations: list[dict]
    totals: dict
    preview: bool = False


def outcome(plan: Plan, now: datetime | None = None, typed: dict | None = None) -> Outcome:
    """The check of the saved plan at `now`, or of the `typed` totals by source (unsaved: a preview)."""
    sums = money.with_total(typed) if typed else money.totals(plan.items)
    return Outcome([shown(v) for v in check(plan, now, sums)], sums, preview=typed is not None)
