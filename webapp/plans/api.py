"""Plan endpoints: plans, their items, the rule check and submission; documents, versions and comparisons."""
from flask import Blueprint, Response, jsonify, request
from flask_login import current_user

from webapp.core.fields import load
from webapp.core.ratelimit import write_limit
from webapp.core.web import current_viewer
from webapp.plans import (
    documents as plan_documents,
    rules as plan_rules,
    service as plans,
    snapshot as plan_snapshot,
    submit as plan_submit,
    versions as plan_versions,
)
from webapp.plans.schemas.input import ItemIn, ItemPatch, PlanIn, PlanPatch, TotalsIn
from webapp.plans.schemas.output import (
    CheckOut,
    CompareOut,
    PlanDetailOut,
    PlanItemOut,
    PlanListOut,
    SubmittedOut,
    VersionListOut,
)

bp = Blueprint("plans_api", __name__, url_prefix="/api/v1")


def _detail(plan):
    return PlanDetailOut(current_viewer(), votes=plan_snapshot.votes_for(plan.items)).dump(plan)


def _item(item):
    return PlanItemOut(current_viewer(), votes=plan_snapshot.votes_for([item])).dump(item)


def _check(outcome):
    return jsonify(CheckOut(current_viewer()).dump(outcome))


@bp.get("/plans")
def list_plans():
    return jsonify(PlanListOut(current_viewer()).dump(plans.visible(current_user)))


@bp.post("/plans")
@write_limit
def create_plan():
    plan = plans.create(current_user, load(PlanIn(), request.get_json(silent=True)))
    return jsonify(_detail(plan)), 201


@bp.get("/plans/<int:plan_id>")
def show_plan(plan_id: int):
    return jsonify(_detail(plans.get_for_read(current_user, plan_id)))


@bp.patch("/plans/<int:plan_id>")
@write_limit
def update_plan(plan_id: int):
    data = load(PlanPatch(), request.get_json(silent=True))
    return jsonify(_detail(plans.update(current_user, plan_id, data)))


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
    return _check(plan_rules.outcome(plans.get_for_write(current_user, plan_id)))


@bp.post("/plans/<int:plan_id>/check")
def preview_check(plan_id: int):
    """The rule check with the budget totals the editor shows but has not saved yet (changes nothing)."""
    plan = plans.get_for_write(current_user, plan_id)
    return _check(plan_rules.outcome(plan, typed=load(TotalsIn(), request.get_json(silent=True))))


@bp.post("/plans/<int:plan_id>/submit")
@write_limit
def submit_plan(plan_id: int):
    version = plan_submit.submit(current_user, plan_id)
    return jsonify(SubmittedOut(current_viewer()).dump(version)), 201


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


@bp.get("/plans/<int:plan_id>/versions")
def plan_versions_list(plan_id: int):
    plan = plans.get(plan_id)
    listing = {"plan": plan, "versions": plan_versions.versions(plan)}
    return jsonify(VersionListOut(current_viewer()).dump(listing))


@bp.get("/plans/<int:plan_id>/compare")
def plan_compare(plan_id: int):
    plan = plans.get(plan_id)
    a, b = plan_versions.compare_refs(request.args)
    snap_a, _ = plan_versions.resolve(current_user, plan, a)
    snap_b, _ = plan_versions.resolve(current_user, plan, b)
    return jsonify(CompareOut(current_viewer()).dump({"a": a, "b": b, **plan_versions.compare(snap_a, snap_b)}))
