"""Writing plans: the plan's fields and its items with their links, sites, budget, KPI targets and milestones."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from geoalchemy2.shape import from_shape
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from webapp.calls import service as calls
from webapp.catalog import service as catalog
from webapp.core import audit
from webapp.core.db import get_or_404
from webapp.errors import Conflict, NotFound, ValidationFailed
from webapp.extensions import db
from webapp.models import (
    OPEN_STATUSES,
    BudgetLine,
    Kpi,
    KpiTarget,
    Milestone,
    Municipality,
    Plan,
    PlanItem,
    PlanSite,
    PlanVersion,
    Proposal,
    Report,
)
from webapp.permissions import can, require
from webapp.places import service as municipalities

LINKABLE_PROPOSALS = ("open", "accepted")


def get(plan_id: int) -> Plan:
    """The plan with this id, or NotFound."""
    return get_or_404(Plan, plan_id)


def get_for_write(user, plan_id: int) -> Plan:
    """The plan, if `user` may write it (else Unauthorized/Forbidden)."""
    plan = get(plan_id)
    require(user, "plan.write", plan)
    return plan


def get_for_read(user, plan_id: int) -> Plan:
    """The plan, if `user` may read its draft or it has a submitted version (public)."""
    plan = get(plan_id)
    if not plan.versions:
        require(user, "plan.read_draft", plan)
    return plan


def item_of(plan: Plan, item_id: int) -> PlanItem:
    """The plan's item with this id, or NotFound."""
    for item in plan.items:
        if item.id == item_id:
            return item
    raise NotFound()


def visible(user) -> list[Plan]:
    """Plans the user may see: drafts they may read, and every plan with a submitted version."""
    submitted = select(PlanVersion.plan_id)
    stmt = select(Plan).order_by(Plan.updated_at.desc(), Plan.id.desc())
    rows = db.session.scalars(stmt).all()
    published = set(db.session.scalars(submitted))
    return [p for p in rows if p.id in published or can(user, "plan.read_draft", p)]


def writable_places(user) -> list[Municipality]:
    """Municipalities the user may write plans for (all of them for admins)."""
    if not getattr(user, "is_authenticated", False):
        return []
    places = db.session.scalars(select(Municipality).order_by(Municipality.name)).all()
    return [m for m in places if can(user, "plan.write", m)]


def _place(user, code: str | None) -> Municipality:
    places = writable_places(user)
    if code:
        found = db.session.scalars(select(Municipality).where(Municipality.code == code)).first()
        if found is None:
            raise ValidationFailed(fields={"municipality": [_l("Unknown municipality.")]})
        require(user, "plan.write", found)
        return found
    if len(places) == 1:
        return places[0]
    require(user, "plan.write", None)  # anonymous -> 401, others -> 403
    raise ValidationFailed(fields={"municipality": [_l("Choose a municipality.")]})


def create(user, data: dict, now: datetime | None = None) -> Plan:
    """Start a plan for an open call in the user's municipality (one plan per municipality and call)."""
    place = _place(user, data.get("municipality"))
    call = db.session.get(calls.Call, data["call"])
    if call is None:
        raise ValidationFailed(fields={"call": [_l("Unknown call.")]})
    if not calls.is_open(call, now):
        raise ValidationFailed(fields={"call": [_l("This call is not open for submissions.")]})
    plan = Plan(municipality=place, call=call, title=data["title"], summary=data.get("summary", ""),
                goals=data.get("goals", ""), status="draft", created_by_id=user.id)
    db.session.add(plan)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_l("This municipality already has a plan for this call.")) from None
    audit.record(user, "plan.create", plan, call=call.id)
    db.session.commit()
    return plan


def _changed(user, plan: Plan, action: str, **data) -> None:
    # An edit after submission starts the next draft; the submitted versions stay as they were.
    if plan.status == "submitted":
        plan.status = "draft"
    plan.touch()
    audit.record(user, action, plan, **data)
    db.session.commit()


def update(user, plan_id: int, data: dict) -> Plan:
    """Change the plan's title, summary or goals."""
    plan = get_for_write(user, plan_id)
    for name in ("title", "summary", "goals"):
        if name in data:
            setattr(plan, name, data[name])
    _changed(user, plan, "plan.update", fields=sorted(data))
    return plan


def _linked(model, ids, already, plan, allowed, field) -> list:
    found = {r.id: r for r in db.session.scalars(select(model).where(model.id.in_(ids)))} if ids else {}
    keep = {r.id for r in already}
    bad = [i for i in ids if i not in found or found[i].municipality_id != plan.municipality_id
           or (i not in keep and found[i].status not in allowed)]
    if bad:
        raise ValidationFailed(fields={field: [_l(
            "Only open items of this municipality can be linked: %(ids)s", ids=", ".join(map(str, bad)))]})
    return [found[i] for i in ids]


def _sites(rows, plan: Plan) -> list[PlanSite]:
    area = municipalities.boundary_of(plan.municipality)
    sites = []
    for row in rows:
        if not area.covers(row["geometry"]):
            message = _l("Every site must lie inside %(name)s.", name=plan.municipality.name)
            raise ValidationFailed(fields={"sites": [message]})
        sites.append(PlanSite(name=row.get("name", ""), geom=from_shape(row["geometry"], srid=4326)))
    return sites


def _kpi_targets(rows) -> list[KpiTarget]:
    targets = []
    for row in rows:
        kpi = db.session.get(Kpi, row["kpi"])
        if kpi is None or kpi.retired:
            raise ValidationFailed(fields={"kpi_targets": [_l("Choose an active KPI from the library.")]})
        targets.append(KpiTarget(kpi=kpi, **{k: row.get(k) for k in (
            "baseline_value", "baseline_on", "target_value", "target_on")}, method=row.get("method", "")))
    return targets


def _apply(item: PlanItem, plan: Plan, data: dict) -> None:
    """Check everything first, then change the item: a refused write changes nothing."""
    changes = {k: data[k] for k in ("title", "description") if k in data}
    if "solution" in data:
        changes["solution"] = catalog.active_solution(data["solution"])
    if "reports" in data:
        changes["reports"] = _linked(Report, data["reports"], item.reports, plan, OPEN_STATUSES, "reports")
    if "proposals" in data:
        changes["proposals"] = _linked(Proposal, data["proposals"], item.proposals, plan, LINKABLE_PROPOSALS,
                                       "proposals")
    if "sites" in data:
        changes["sites"] = _sites(data["sites"], plan)
    if "budget_lines" in data:
        changes["budget_lines"] = [BudgetLine(**row) for row in data["budget_lines"]]
    if "kpi_targets" in data:
        changes["kpi_targets"] = _kpi_targets(data["kpi_targets"])
    if "milestones" in data:
        changes["milestones"] = [Milestone(**row) for row in data["milestones"]]
    for name, value in changes.items():
        setattr(item, name, value)


def add_item(user, plan_id: int, data: dict) -> PlanItem:
    """Add an item to the plan."""
    plan = get_for_write(user, plan_id)
    item = PlanItem(title=data["title"], position=len(plan.items))
    with db.session.no_autoflush:
        _apply(item, plan, data)
    plan.items.append(item)
    db.session.flush()
    _changed(user, plan, "plan.item_add", item=item.id)
    return item


def update_item(user, plan_id: int, item_id: int, data: dict) -> PlanItem:
    """Change an item; every list sent replaces the stored one."""
    plan = get_for_write(user, plan_id)
    item = item_of(plan, item_id)
    with db.session.no_autoflush:
        _apply(item, plan, data)
    _changed(user, plan, "plan.item_update", item=item.id, fields=sorted(data))
    return item


def remove_item(user, plan_id: int, item_id: int) -> None:
    """Delete an item and everything it holds."""
    plan = get_for_write(user, plan_id)
    item = item_of(plan, item_id)
    plan.items.remove(item)
    _changed(user, plan, "plan.item_remove", item=item_id)


def plans_linking(report_id: int) -> list[Plan]:
    """Plans with a submitted version whose items link this report."""
    from webapp.models import plan_item_reports

    stmt = (
        select(Plan).join(PlanItem, PlanItem.plan_id == Plan.id)
        .join(plan_item_reports, plan_item_reports.c.item_id == PlanItem.id)
        .where(plan_item_reports.c.report_id == report_id)
        .where(Plan.id.in_(select(PlanVersion.plan_id)))
        .order_by(Plan.id).distinct()
    )
    return list(db.session.scalars(stmt))


def candidates(plan: Plan) -> dict:
    """Reports (hot spots first) and proposals of the plan's municipality that items may link."""
    from webapp.analytics.priorities import priorities

    order, hot = [], set()
    for entry in priorities(plan.municipality)["items"]:
        if entry["kind"] == "hotspot":
            order.extend(entry["hotspot"]["members"])
            hot.update(entry["hotspot"]["members"])
        else:
            order.append(entry["id"])
    linked = {r.id for item in plan.items for r in item.reports}
    rows = db.session.scalars(select(Report).where(
        Report.municipality_id == plan.municipality_id,
        or_(Report.status.in_(OPEN_STATUSES), Report.id.in_(linked)))).all()
    rank = {rid: i for i, rid in enumerate(order)}
    reports = sorted(rows, key=lambda r: (rank.get(r.id, len(rank)), r.id))
    proposals = db.session.scalars(select(Proposal).where(
        Proposal.municipality_id == plan.municipality_id, Proposal.status.in_(LINKABLE_PROPOSALS))
        .order_by(Proposal.id)).all()
    return {"reports": reports, "proposals": list(proposals), "hot": hot}
