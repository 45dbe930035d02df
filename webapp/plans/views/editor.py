"""Plan pages: editor. Routes stay thin: schema, service, template."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.calls import service as calls
from webapp.catalog import service as catalog
from webapp.core import money
from webapp.core.fields import load
from webapp.core.labels import FUNDING_SOURCE_LABELS
from webapp.core.ratelimit import write_limit
from webapp.core.time import seoul, utcnow
from webapp.core.web import flash_errors
from webapp.errors import AppError, ValidationFailed
from webapp.models import FUNDING_SOURCES
from webapp.plans import rules as plan_rules, service as plans, submit as plan_submit
from webapp.plans.schemas.input import ItemIn, PlanIn, PlanPatch, item_from_form
from webapp.plans.views import bp
from webapp.plans.views.editor_form import blank_item, item_form, posted_item, row_errors


@bp.get("/")
def index():
    return render_template("plans/editor_index.html", plans=plans.visible(current_user),
                           open_calls=calls.open_calls(), places=plans.writable_places(current_user))


@bp.route("/new", methods=["GET", "POST"])
@login_required
@write_limit
def new():
    errors, form = {}, request.form.to_dict()
    if request.method == "POST":
        try:
            plan = plans.create(current_user, load(PlanIn(), form))
        except ValidationFailed as err:
            errors = err.fields
        else:
            flash(_("The plan was created. Add its items."), "success")
            return redirect(url_for("plans.edit", plan_id=plan.id))
    elif request.args.get("call"):
        form["call"] = request.args["call"]
    return render_template("plans/editor_new.html", form=form, errors=errors, open_calls=calls.open_calls(),
                           places=plans.writable_places(current_user)), 422 if errors else 200


def _editor(plan, item_errors=None, posted=None, plan_errors=None, status=200):
    item_errors, posted = item_errors or {}, posted or {}
    forms = [posted.get(i.id) or item_form(i) for i in plan.items]
    if "new" in posted:
        forms.append(posted["new"])
    checked = plan_rules.outcome(plan, utcnow())
    sums = checked.totals
    return render_template(
        "plans/editor.html", plan=plan, item_forms=forms, new_item=posted.get("new") or blank_item(),
        item_errors=item_errors, plan_errors=plan_errors or {}, sources=FUNDING_SOURCES,
        solutions=catalog.list_solutions(), kpis=catalog.list_kpis(), candidates=plans.candidates(plan),
        violations=checked.violations, totals=sums,
        build_period=calls.build_period(plan.call),
        window_open=calls.is_open(plan.call), seoul=seoul, source_names=FUNDING_SOURCE_LABELS,
        row_errors=row_errors,
        share=money.share_percent(sums["national"], sums["total"]),
        share_limit=money.limit_text(plan.call.max_national_share_bp),
        tile_url=current_app.config["TILE_URL"], tile_attribution=current_app.config["TILE_ATTRIBUTION"],
    ), status


@bp.route("/<int:plan_id>/edit", methods=["GET", "POST"])
@login_required
@write_limit
def edit(plan_id: int):
    plan = plans.get_for_write(current_user, plan_id)
    if request.method == "POST":
        try:
            plans.update(current_user, plan.id, load(PlanPatch(), request.form.to_dict()))
        except ValidationFailed as err:
            return _editor(plan, plan_errors=err.fields, status=422)
        flash(_("The plan was saved."), "success")
        return redirect(url_for("plans.edit", plan_id=plan.id, _anchor="plan-fields"))
    return _editor(plan)


def _item_post(plan, item_id):
    """Validate and save an item form; on errors show the editor again with what was typed."""
    try:
        data = load(ItemIn(), item_from_form(request.form))
        if item_id is None:
            item = plans.add_item(current_user, plan.id, data)
        else:
            item = plans.update_item(current_user, plan.id, item_id, data)
    except ValidationFailed as err:
        key = item_id or "new"
        posted = {key: posted_item(request.form, item_id)}
        return _editor(plan, item_errors={key: err.fields}, posted=posted, status=422)
    flash(_("The item was saved."), "success")
    return redirect(url_for("plans.edit", plan_id=plan.id, _anchor=f"item-{item.id}"))


@bp.post("/<int:plan_id>/items")
@login_required
@write_limit
def add_item(plan_id: int):
    return _item_post(plans.get_for_write(current_user, plan_id), None)


@bp.post("/<int:plan_id>/items/<int:item_id>")
@login_required
@write_limit
def update_item(plan_id: int, item_id: int):
    plan = plans.get_for_write(current_user, plan_id)
    plans.item_of(plan, item_id)
    return _item_post(plan, item_id)


@bp.post("/<int:plan_id>/items/<int:item_id>/delete")
@login_required
@write_limit
def remove_item(plan_id: int, item_id: int):
    plans.remove_item(current_user, plan_id, item_id)
    flash(_("The item was removed."), "success")
    return redirect(url_for("plans.edit", plan_id=plan_id, _anchor="items"))


@bp.post("/<int:plan_id>/submit")
@login_required
@write_limit
def submit(plan_id: int):
    try:
        version = plan_submit.submit(current_user, plan_id)
    except AppError as err:
        if err.status in (401, 403, 404):
            raise
        flash(str(err.message), "error")
        flash_errors(err)
        return redirect(url_for("plans.edit", plan_id=plan_id, _anchor="check"))
    flash(_("Version %(n)d of the plan was submitted.", n=version.number), "success")
    return redirect(url_for("plans.edit", plan_id=plan_id, _anchor="check"))
