"""Plan endpoints: plans, their items, the rule check and submission; documents, versions and comparisons."""
from flask import Blueprint, Response, jsonify, request
from flask_login import current_user
from geoalchemy2.shape import to_shape
from shapely.geometry import mapping

from webapp.core import money
from webapp.core.fields import load
from webapp.core.ratelimit import write_limit
from webapp.core.time import as_utc, utcnow
from webapp.plans import (
    documents as plan_documents,
    rules as plan_rules,
    service as plans,
    submit as plan_submit,
    versions as plan_versions,
)
from webapp.plans.schemas import ItemIn, ItemPatch, PlanIn, PlanPatch, TotalsIn

bp = Blueprint("plans_api", __name__, url_prefix="/api/v1")


def decimal_text(value):
    # Decimals travel as strings: JSON numbers would turn them into floats.
    return None if value is None else format(value.normalize(), "f")


def _item(item) -> dict:
    return {
        "id": item.id, "title": item.title, "description": item.description,
        "solution": item.solution_id,
        "reports": [r.id for r in item.reports], "proposals": [p.id for p in item.proposals],
        "sites": [{"id": s.id, "name": s.name, "geometry": mapping(to_shape(s.geom))} for s in item.sites],
        "budget_lines": [{"source": b.source, "amount": int(b.amount), "year": b.year, "description": b.description}
                         for b in item.budget_lines],
        "kpi_targets": [{"kpi": t.kpi_id, "baseline_value": decimal_text(t.baseline_value),
                         "baseline_on": t.baseline_on.isoformat() if t.baseline_on else None,
                         "target_value": decimal_text(t.target_value),
                         "target_on": t.target_on.isoformat() if t.target_on else None, "method": t.method}
                        for t in item.kpi_targets],
        "milestones": [{"title": m.title, "due_on": m.due_on.isoformat()} for m in item.milestones],
    }


def _plan(plan, detail=False) -> dict:
    out = {"id": plan.id, "title": plan.title, "summary": plan.summary, "goals": plan.goals, "status": plan.status,
           "call": plan.call_id, "municipality": plan.municipality.code,
           "versions": [v.number for v in plan.versions], "totals": money.totals(plan.items)}
    if detail:
        out["items"] = [_item(i) for i in plan.items]
    return out


def _check(plan, typed: dict | None = None) -> dict:
    sums = money.with_total(typed) if typed else money.totals(plan.items)
    violations = plan_rules.check(plan, utcnow(), sums)
    share = money.share_bp(sums["national"], sums["total"])
    return {"violations": [plan_rules.shown(v) for v in violations], "totals": sums, "national_share_bp": share,
            # As the pages write them, so the editor shows the server's numbers (JSON numbers lose digits in JS).
            "shown": {**{key: money.grouped(value) for key, value in sums.items()},
                      "national_share": money.percent(share)},
            # Unsaved amounts are only a preview: what is submitted is what is saved.
            "can_submit": not violations and typed is None, "preview": typed is not None}


@bp.get("/plans")
def list_plans():
    return jsonify(plans=[_plan(p) for p in plans.visible(current_user)])


@bp.post("/plans")
@write_limit
def create_plan():
    plan = plans.create(current_user, load(PlanIn(), request.get_json(silent=True)))
    return jsonify(_plan(plan, detail=True)), 201


@bp.get("/plans/<int:plan_id>")
def show_plan(plan_id: int):
    return jsonify(_plan(plans.get_for_read(current_user, plan_id), detail=True))


@bp.patch("/plans/<int:plan_id>")
@write_limit
def update_plan(plan_id: int):
    data = load(PlanPatch(), request.get_json(silent=True))
    return jsonify(_plan(plans.update(current_user, plan_id, data), detail=True))


@bp.post("/plans/<int:plan_id>/items")
@write_limit
def add_item(plan_id: int):
    item = plans.add_item(current_user, plan_id, load(ItemIn(), request.get_json(silent=True)))
    return jsonify(_item(item)), 201


@bp.get("/plans/<int:plan_id>/items/<int:item_id>")
def show_item(plan_id: int, item_id: int):
    return jsonify(_item(plans.item_of(plans.get_for_read(current_user, plan_id), item_id)))


@bp.patch("/plans/<int:plan_id>/items/<int:item_id>")
@write_limit
def update_item(plan_id: int, item_id: int):
    data = load(ItemPatch(), request.get_json(silent=True))
    return jsonify(_item(plans.update_item(current_user, plan_id, item_id, data)))


@bp.delete("/plans/<int:plan_id>/items/<int:item_id>")
@write_limit
def remove_item(plan_id: int, item_id: int):
    plans.remove_item(current_user, plan_id, item_id)
    return "", 204


@bp.get("/plans/<int:plan_id>/check")
def check_plan(plan_id: int):
    return jsonify(_check(plans.get_for_write(current_user, plan_id)))


@bp.post("/plans/<int:plan_id>/check")
def preview_check(plan_id: int):
    """The rule check with the budget totals the editor shows but has not saved yet (changes nothing)."""
    plan = plans.get_for_write(current_user, plan_id)
    return jsonify(_check(plan, load(TotalsIn(), request.get_json(silent=True))))


@bp.post("/plans/<int:plan_id>/submit")
@write_limit
def submit_plan(plan_id: int):
    version = plan_submit.submit(current_user, plan_id)
    return jsonify(plan=plan_id, version=version.number, status="submitted"), 201


def _snapshot(plan_id: int):
    plan = plans.get(plan_id)
    ref = plan_versions.parse_ref(request.args.get("version"))
    snap, found = plan_versions.resolve(current_user, plan, ref)
    return plan, snap, found


def _csv(text: str, plan_id: int, name: str, found) -> Response:
    suffix = f"v{found.number}" if found else "draft"
    return Response(text.encode("utf-8"), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="plan-{plan_id}-{suffix}-{name}.csv"',
    })


@bp.get("/plans/<int:plan_id>/budget.csv")
def plan_budget_csv(plan_id: int):
    _, snap, found = _snapshot(plan_id)
    return _csv(plan_documents.budget_csv(snap), plan_id, "budget", found)


@bp.get("/plans/<int:plan_id>/kpi-targets.csv")
def plan_kpi_csv(plan_id: int):
    _, snap, found = _snapshot(plan_id)
    return _csv(plan_documents.kpi_csv(snap), plan_id, "kpi-targets", found)


@bp.get("/plans/<int:plan_id>/plan.geojson")
def plan_geojson(plan_id: int):
    _, snap, _found = _snapshot(plan_id)
    response = jsonify(plan_documents.geojson(snap))
    response.mimetype = "application/geo+json"
    return response


def version_row(v) -> dict:
    """A version as listed in the history (no snapshot body)."""
    return {
        "number": v.number,
        "submitted_at": as_utc(v.submitted_at).isoformat(),
        "submitted_by": v.submitted_by.display_name,
        "title": v.snapshot.get("plan", {}).get("title"),
        "items": len(v.snapshot.get("items", [])),
        "totals": v.snapshot.get("totals", {}),
    }


@bp.get("/plans/<int:plan_id>/versions")
def plan_versions_list(plan_id: int):
    plan = plans.get(plan_id)
    return jsonify(plan=plan.id, versions=[version_row(v) for v in plan_versions.versions(plan)])


@bp.get("/plans/<int:plan_id>/compare")
def plan_compare(plan_id: int):
    plan = plans.get(plan_id)
    a, b = plan_versions.compare_refs(request.args)
    snap_a, _ = plan_versions.resolve(current_user, plan, a)
    snap_b, _ = plan_versions.resolve(current_user, plan, b)
    return jsonify(a=a, b=b, **plan_versions.compare(snap_a, snap_b))
