"""A plan as plain data: the snapshot frozen when the plan is submitted (totals from webapp.core.money).

The snapshot is what evaluators score, what the public page and documents show for a submitted
version, and what version comparisons read; it never changes once stored.
"""
from geoalchemy2.shape import to_shape
from shapely.geometry import mapping
from sqlalchemy import func, select

from webapp.core.money import totals
from webapp.core.time import as_utc
from webapp.extensions import db
from webapp.models import Plan, PlanItem, ProposalVote, Vote

SNAPSHOT_FORMAT = 1


def _votes(model, column, ids) -> dict:
    if not ids:
        return {}
    rows = db.session.execute(select(column, func.count(model.id)).where(column.in_(ids)).group_by(column))
    return dict(rows.all())


def _decimal(value) -> str | None:
    # Decimals travel as strings: JSON numbers would turn them into floats.
    return None if value is None else format(value.normalize(), "f")


def _item(item: PlanItem, report_votes: dict, proposal_votes: dict) -> dict:
    solution = item.solution
    return {
        "id": item.id,
        "title": item.title,
        "description": item.description,
        "solution": None if solution is None else
        {"code": solution.code, "name": solution.name, "name_en": solution.name_en, "domain": solution.domain},
        "reports": [
            {"id": r.id, "title": r.title, "status": r.status, "votes": report_votes.get(r.id, 0),
             "category": r.category.code, "lon": to_shape(r.geom).x, "lat": to_shape(r.geom).y}
            for r in item.reports
        ],
        "proposals": [
            {"id": p.id, "title": p.display_title("ko"), "title_en": p.display_title("en"),
             "votes": proposal_votes.get(p.id, 0)}
            for p in item.proposals
        ],
        "sites": [{"id": s.id, "name": s.name, "geometry": mapping(to_shape(s.geom))} for s in item.sites],
        "budget": [
            {"source": b.source, "amount": int(b.amount), "year": b.year, "description": b.description}
            for b in item.budget_lines
        ],
        "kpi_targets": [
            {
                "kpi": {"code": t.kpi.code, "name": t.kpi.name, "name_en": t.kpi.name_en, "unit": t.kpi.unit,
                        "unit_en": t.kpi.unit_en, "direction": t.kpi.direction},
                "baseline_value": _decimal(t.baseline_value),
                "baseline_on": t.baseline_on.isoformat() if t.baseline_on else None,
                "target_value": _decimal(t.target_value),
                "target_on": t.target_on.isoformat() if t.target_on else None,
                "method": t.method,
            }
            for t in item.kpi_targets
        ],
        "milestones": [{"title": m.title, "due_on": m.due_on.isoformat()} for m in item.milestones],
    }


def snapshot(plan: Plan) -> dict:
    """The whole plan as JSON-ready data (amounts as integers, decimals as strings, sites as GeoJSON)."""
    report_ids = [r.id for item in plan.items for r in item.reports]
    proposal_ids = [p.id for item in plan.items for p in item.proposals]
    report_votes = _votes(Vote, Vote.report_id, report_ids)
    proposal_votes = _votes(ProposalVote, ProposalVote.proposal_id, proposal_ids)
    call, place = plan.call, plan.municipality
    return {
        "format": SNAPSHOT_FORMAT,
        "plan": {
            "id": plan.id, "title": plan.title, "summary": plan.summary, "goals": plan.goals,
            "municipality": {"code": place.code, "name": place.name, "name_en": place.name_en},
            "call": {
                "id": call.id, "title": call.title, "year": call.year,
                "opens_at": as_utc(call.opens_at).isoformat(), "closes_at": as_utc(call.closes_at).isoformat(),
                "cap_total": int(call.cap_total), "max_national_share_bp": call.max_national_share_bp,
                "max_national_amount": int(call.max_national_amount), "build_months": call.build_months,
            },
        },
        "items": [_item(item, report_votes, proposal_votes) for item in plan.items],
        "totals": totals(plan.items),
    }

