"""Submitted versions of a plan and item-by-item comparison of any two snapshots (or the draft)."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp.core import money
from webapp.core.fields import as_id
from webapp.errors import NotFound, ValidationFailed
from webapp.extensions import db
from webapp.models import FUNDING_SOURCES, Plan, PlanVersion
from webapp.permissions import can, require
from webapp.plans.snapshot import snapshot

DRAFT = "draft"
# Fields of a KPI target that count as a change when they differ.
TARGET_FIELDS = ("baseline_value", "baseline_on", "target_value", "target_on", "method")


def versions(plan: Plan) -> list[PlanVersion]:
    """The plan's submitted versions, oldest first."""
    return list(db.session.scalars(
        select(PlanVersion).where(PlanVersion.plan_id == plan.id).order_by(PlanVersion.number)
    ))


def latest(plan: Plan) -> PlanVersion | None:
    """The newest submitted version (the public one), or None before the first submission."""
    return db.session.scalars(
        select(PlanVersion).where(PlanVersion.plan_id == plan.id).order_by(PlanVersion.number.desc()).limit(1)
    ).first()


def version(plan: Plan, number: int) -> PlanVersion:
    """Version `number` of the plan, or NotFound."""
    found = db.session.scalars(
        select(PlanVersion).where(PlanVersion.plan_id == plan.id, PlanVersion.number == number)
    ).first()
    if found is None:
        raise NotFound(_l("This version of the plan does not exist."))
    return found


def parse_ref(value, field: str = "version"):
    """A version reference from a query string: a positive number, "draft", or None when not given."""
    if value is None or str(value).strip() == "":
        return None
    value = str(value).strip()
    if value == DRAFT:
        return DRAFT
    number = as_id(value)
    if number is not None:
        return number
    raise ValidationFailed(fields={field: [_l("Give a version number or \"draft\".")]})


def resolve(user, plan: Plan, ref=None) -> tuple[dict, PlanVersion | None]:
    """(snapshot, version) for a reference: None = latest submitted, a number, or the live draft.

    Submitted versions are public; the draft only for those who may read it. With no version and
    no reference, NotFound: the public never sees a plan before it is submitted.
    """
    if ref == DRAFT:
        require(user, "plan.read_draft", plan)
        return snapshot(plan), None
    if ref is None:
        found = latest(plan)
        if found is None:
            raise NotFound(_l("This plan has not been published yet."))
        return found.snapshot, found
    found = version(plan, ref)
    return found.snapshot, found


def may_see_draft(user, plan: Plan) -> bool:
    """Whether `user` may open the live draft of the plan (consultation, draft comparisons)."""
    return can(user, "plan.read_draft", plan)


def _by_key(entries, key) -> dict:
    return {key(e): e for e in entries}


def _pair(items_a: list, items_b: list) -> list[tuple[dict | None, dict | None]]:
    """Match items by id, then the rest by solution code; unmatched ones stand alone."""
    pairs, left_b = [], list(items_b)
    unmatched_a = []
    ids_b = {item.get("id"): item for item in items_b if item.get("id") is not None}
    for item in items_a:
        other = ids_b.get(item.get("id")) if item.get("id") is not None else None
        if other is not None and other in left_b:
            pairs.append((item, other))
            left_b.remove(other)
        else:
            unmatched_a.append(item)
    for item in unmatched_a:
        code = _solution_code(item)
        other = next((b for b in left_b if code is not None and _solution_code(b) == code), None)
        if other is not None:
            left_b.remove(other)
        pairs.append((item, other))
    pairs.extend((None, item) for item in left_b)
    return pairs


def _solution_code(item: dict | None):
    return (item or {}).get("solution") and item["solution"].get("code")


def _set_change(a: list, b: list, key) -> dict | None:
    """Entries only in `a` (removed) and only in `b` (added), by `key`; None when they hold the same."""
    keys_a, keys_b = _by_key(a, key), _by_key(b, key)
    added = [keys_b[k] for k in keys_b if k not in keys_a]
    removed = [keys_a[k] for k in keys_a if k not in keys_b]
    return {"added": added, "removed": removed} if added or removed else None


def _budget_change(a: list, b: list) -> dict | None:
    # Lines are compared as a multiset: two equal lines stay two lines.
    def signature(line):
        return (line["source"], line["year"], int(line["amount"]), line.get("description", ""))

    rest_b = [signature(line) for line in b]
    removed = []
    for line in a:
        if signature(line) in rest_b:
            rest_b.remove(signature(line))
        else:
            removed.append(line)
    rest_a = [signature(line) for line in a]
    added = []
    for line in b:
        if signature(line) in rest_a:
            rest_a.remove(signature(line))
        else:
            added.append(line)
    if not added and not removed:
        return None
    return {"added": added, "removed": removed}


def _kpi_change(a: list, b: list) -> dict | None:
    keys_a = _by_key(a, lambda t: t["kpi"]["code"])
    keys_b = _by_key(b, lambda t: t["kpi"]["code"])
    added = [keys_b[k] for k in keys_b if k not in keys_a]
    removed = [keys_a[k] for k in keys_a if k not in keys_b]
    changed = []
    for code in keys_a.keys() & keys_b.keys():
        fields = [f for f in TARGET_FIELDS if keys_a[code].get(f) != keys_b[code].get(f)]
        if fields:
            changed.append({"kpi": keys_b[code]["kpi"], "fields": fields, "a": keys_a[code], "b": keys_b[code]})
    changed.sort(key=lambda c: c["kpi"]["code"])
    if not (added or removed or changed):
        return None
    return {"added": added, "removed": removed, "changed": changed}


def _item_changes(a: dict, b: dict) -> dict:
    changes = {}
    for field in ("title", "description"):
        if a.get(field) != b.get(field):
            changes[field] = {"a": a.get(field), "b": b.get(field)}
    if _solution_code(a) != _solution_code(b):
        changes["solution"] = {"a": a.get("solution"), "b": b.get("solution")}
    for field in ("reports", "proposals"):
        diff = _set_change(a.get(field, []), b.get(field, []), lambda e: e["id"])
        if diff:
            changes[field] = diff
    budget = _budget_change(a.get("budget", []), b.get("budget", []))
    if budget:
        changes["budget"] = budget
    sums_a, sums_b = money.item_totals(a), money.item_totals(b)
    by_source = {s: {"a": sums_a[s], "b": sums_b[s], "delta": sums_b[s] - sums_a[s]}
                 for s in FUNDING_SOURCES if sums_a[s] != sums_b[s]}
    if by_source:
        changes["budget_totals"] = by_source
    kpis = _kpi_change(a.get("kpi_targets", []), b.get("kpi_targets", []))
    if kpis:
        changes["kpi_targets"] = kpis
    milestones = _set_change(a.get("milestones", []), b.get("milestones", []), lambda m: (m["title"], m["due_on"]))
    if milestones:
        changes["milestones"] = milestones
    if len(a.get("sites", [])) != len(b.get("sites", [])):
        changes["sites"] = {"a": len(a.get("sites", [])), "b": len(b.get("sites", []))}
    return changes


def compare(a: dict, b: dict) -> dict:
    """Differences from snapshot `a` to snapshot `b`: plan fields, totals by source, and item by item."""
    plan_a, plan_b = a.get("plan", {}), b.get("plan", {})
    plan_changes = {f: {"a": plan_a.get(f), "b": plan_b.get(f)}
                    for f in ("title", "summary", "goals") if plan_a.get(f) != plan_b.get(f)}
    totals_a, totals_b = a.get("totals", {}), b.get("totals", {})
    totals = {
        key: {"a": int(totals_a.get(key, 0)), "b": int(totals_b.get(key, 0)),
              "delta": int(totals_b.get(key, 0)) - int(totals_a.get(key, 0))}
        for key in (*FUNDING_SOURCES, "total")
    }
    items = []
    for item_a, item_b in _pair(a.get("items", []), b.get("items", [])):
        if item_a is None:
            items.append({"status": "added", "a": None, "b": item_b, "changes": {}})
        elif item_b is None:
            items.append({"status": "removed", "a": item_a, "b": None, "changes": {}})
        else:
            changes = _item_changes(item_a, item_b)
            items.append({"status": "changed" if changes else "same", "a": item_a, "b": item_b, "changes": changes})
    return {
        "plan": plan_changes,
        "totals": totals,
        "items": items,
        "changed": bool(plan_changes) or any(i["status"] != "same" for i in items),
    }


def compare_refs(args) -> tuple:
    """The two references `a` and `b` of a comparison request (both required)."""
    a, b = parse_ref(args.get("a"), "a"), parse_ref(args.get("b"), "b")
    missing = {name: [_l("This field is required.")] for name, ref in (("a", a), ("b", b)) if ref is None}
    if missing:
        raise ValidationFailed(fields=missing)
    return a, b
