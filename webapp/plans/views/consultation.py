"""Plan pages: consultation. Routes stay thin: schema, service, template."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.core.fields import load
from webapp.core.ratelimit import write_limit
from webapp.core.web import flash_errors
from webapp.errors import ValidationFailed
from webapp.permissions import can, require
from webapp.plans import comments as plan_comments, service as plans, versions as plan_versions
from webapp.plans.schemas.input import PlanCommentIn
from webapp.plans.snapshot import snapshot
from webapp.plans.views import bp, present


@bp.get("/<int:plan_id>/consultation")
@login_required
def consultation(plan_id: int):
    plan = plans.get(plan_id)
    require(current_user, "plan.read_draft", plan)
    return render_template(
        "plans/consultation.html", plan=plan, snap=snapshot(plan), present=present,
        threads=plan_comments.consultation_threads(current_user, plan),
        latest=plan_versions.latest(plan),
        can_comment=can(current_user, "plan.consult", plan),
        can_reply=can(current_user, "plan.write", plan),
    )


def _anchor(item_id) -> str:
    return f"#item-{item_id}-comments" if item_id else "#plan-comments"


@bp.post("/<int:plan_id>/consultation/comments")
@login_required
@write_limit
def consult(plan_id: int):
    item_id = None
    try:
        data = load(PlanCommentIn(), request.form.to_dict())
        item_id = data["item"]
        plan_comments.consult(current_user, plan_id, data["body"], item_id)
    except ValidationFailed as err:
        flash_errors(err)
    else:
        flash(_("Your comment was posted."), "success")
    return redirect(url_for("plans.consultation", plan_id=plan_id) + _anchor(item_id))


@bp.post("/<int:plan_id>/comments/<int:comment_id>/reply")
@login_required
@write_limit
def reply(plan_id: int, comment_id: int):
    try:
        data = load(PlanCommentIn(), request.form.to_dict())
        comment = plan_comments.reply(current_user, plan_id, comment_id, data["body"])
    except ValidationFailed as err:
        flash_errors(err)
        return redirect(request.referrer or url_for("plans.consultation", plan_id=plan_id))
    flash(_("Your reply was posted."), "success")
    if comment.public:
        return redirect(url_for("plans.public", plan_id=plan_id) + f"#c-{comment.reply_to_id}")
    return redirect(url_for("plans.consultation", plan_id=plan_id) + _anchor(comment.item_id))
