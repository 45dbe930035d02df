"""Plan pages: public. Routes stay thin: schema, service, template."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.core.fields import load
from webapp.core.ratelimit import write_limit
from webapp.core.web import flash_errors, report_page
from webapp.errors import NotFound, ValidationFailed
from webapp.permissions import can
from webapp.plans import (
    comments as plan_comments,
    documents as plan_documents,
    service as plans,
    versions as plan_versions,
)
from webapp.plans.schemas.input import PlanCommentIn
from webapp.plans.views import bp, present


def _published(plan_id: int, ref=None):
    """(plan, snapshot, version) of a submitted version; staff are sent to the draft when none exists yet."""
    plan = plans.get(plan_id)
    if ref is None and plan_versions.latest(plan) is None and plan_versions.may_see_draft(current_user, plan):
        return plan, None, None
    snap, found = plan_versions.resolve(current_user, plan, ref)
    return plan, snap, found


def _to_draft(plan_id: int):
    flash(_("This plan has not been submitted yet; here is the draft."), "info")
    return redirect(url_for("plans.consultation", plan_id=plan_id))


def _map_settings() -> dict:
    return {"tile_url": current_app.config["TILE_URL"], "tile_attribution": current_app.config["TILE_ATTRIBUTION"]}


@bp.get("/<int:plan_id>")
def public(plan_id: int):
    ref = plan_versions.parse_ref(request.args.get("version"))
    if ref == plan_versions.DRAFT:
        return redirect(url_for("plans.consultation", plan_id=plan_id))
    plan, snap, found = _published(plan_id, ref)
    if snap is None:
        return _to_draft(plan_id)
    return render_template(
        "plans/public.html", plan=plan, snap=snap, version=found, present=present,
        latest=plan_versions.latest(plan), geo=plan_documents.geojson(snap),
        threads=plan_comments.public_threads(plan),
        can_comment=can(current_user, "plan.comment_public", plan),
        can_reply=can(current_user, "plan.write", plan),
        **_map_settings(),
    )


@bp.post("/<int:plan_id>/comments")
@login_required
@write_limit
def public_comment(plan_id: int):
    try:
        data = load(PlanCommentIn(), request.form.to_dict())
        plan_comments.comment_public(current_user, plan_id, data["body"])
    except ValidationFailed as err:
        flash_errors(err)
    else:
        flash(_("Thank you! Your comment was posted."), "success")
    return redirect(url_for("plans.public", plan_id=plan_id) + "#comments")


@bp.get("/<int:plan_id>/versions")
def versions(plan_id: int):
    plan = plans.get(plan_id)
    rows = plan_versions.versions(plan)
    draft = plan_versions.may_see_draft(current_user, plan)
    if not rows and not draft:
        raise NotFound()
    return render_template("plans/versions.html", plan=plan, versions=rows, draft=draft, present=present)


@bp.get("/<int:plan_id>/compare")
def compare(plan_id: int):
    plan = plans.get(plan_id)
    a, b = plan_versions.compare_refs(request.args)
    snap_a, version_a = plan_versions.resolve(current_user, plan, a)
    snap_b, version_b = plan_versions.resolve(current_user, plan, b)
    return render_template(
        "plans/compare.html", plan=plan, a=a, b=b, version_a=version_a, version_b=version_b, snap_b=snap_b,
        diff=plan_versions.compare(snap_a, snap_b), present=present,
    )


def _print_context(plan_id: int):
    plan, snap, found = _published(plan_id, plan_versions.parse_ref(request.args.get("version")))
    if snap is None:  # staff, before the first submission: the draft
        snap, found = plan_versions.resolve(current_user, plan, plan_versions.DRAFT)
    return {"plan": plan, "snap": snap, "version": found, "draft": found is None, "present": present}


@bp.get("/<int:plan_id>/print", endpoint="print")
def print_view(plan_id: int):
    return render_template("plans/print.html", **_print_context(plan_id))


@bp.get("/<int:plan_id>/plan.pdf")
def pdf(plan_id: int):
    from webapp.plans.views.pdf import render_pdf, stylesheets

    context = _print_context(plan_id)
    html = render_template("plans/print.html", inline_css=stylesheets(), **context)
    suffix = f"v{context['version'].number}" if context["version"] else "draft"
    return current_app.response_class(render_pdf(html), mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="plan-{plan_id}-{suffix}.pdf"'})


@report_page.connect
def _report_page(report, user) -> dict:
    """The report page names the submitted plans that include the report."""
    return {"included_in": plans.plans_linking(report.id)}
