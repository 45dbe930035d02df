"""Plan documents: budget and KPI-target CSV, the plan map as GeoJSON, versions and comparisons."""
from flask import Response, jsonify, request
from flask_login import current_user

from webapp.api import bp
from webapp.models.base import as_utc
from webapp.services import plan_documents, plan_versions


def _snapshot(plan_id: int):
    plan = plan_versions.get_plan(plan_id)
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
    plan = plan_versions.get_plan(plan_id)
    return jsonify(plan=plan.id, versions=[version_row(v) for v in plan_versions.versions(plan)])


@bp.get("/plans/<int:plan_id>/compare")
def plan_compare(plan_id: int):
    plan = plan_versions.get_plan(plan_id)
    a, b = plan_versions.compare_refs(request.args)
    snap_a, _ = plan_versions.resolve(current_user, plan, a)
    snap_b, _ = plan_versions.resolve(current_user, plan, b)
    return jsonify(a=a, b=b, **plan_versions.compare(snap_a, snap_b))
