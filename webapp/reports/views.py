"""Report pages. Routes stay thin: schema, service, template."""
import uuid

from flask import Blueprint, current_app, flash, redirect, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.core.fields import load
from webapp.core.ratelimit import write_limit
from webapp.core.web import flash_errors, page_extras, post_comment, report_page, toggle_vote
from webapp.errors import AppError, NotFound, ValidationFailed
from webapp.permissions import can
from webapp.reports import service as reports, triage, votes
from webapp.reports.schemas import CommentIn, NoteIn, ReportIn, StatusIn

bp = Blueprint("reports", __name__, url_prefix="/reports")


def _form_data() -> dict:
    data = request.form.to_dict()
    data["anonymous"] = "anonymous" in request.form
    return data


def _form_token(errors: dict) -> str:
    """The one-time token the form carries: kept when the form comes back with errors (nothing was filed)."""
    sent = request.form.get("submission_token")
    return sent if sent and "submission_token" not in errors else uuid.uuid4().hex


@bp.route("/new", methods=["GET", "POST"])
@login_required
@write_limit
def new():
    errors, message = {}, None
    if request.method == "POST":
        try:
            data = load(ReportIn(), _form_data())
            uploads = [f.read() for f in request.files.getlist("photos") if f.filename]
            filed = reports.file_once(current_user, data, uploads)
        except ValidationFailed as err:
            errors, message = err.fields, err.message
        else:
            if filed.created:
                flash(_("Thank you! Your report has been filed."), "success")
            else:
                flash(_("You already sent this report; here it is."), "info")
            return redirect(url_for("reports.show", report_id=filed.report.id))
    return render_template(
        "reports/new.html",
        form=request.values,
        submission_token=_form_token(errors),
        errors=errors,
        message=message,
        categories=reports.all_categories(),
        tile_url=current_app.config["TILE_URL"],
        tile_attribution=current_app.config["TILE_ATTRIBUTION"],
    ), 422 if errors else 200


@bp.get("/<int:report_id>")
def show(report_id: int):
    report = reports.get(report_id)
    return render_template(
        "reports/show.html",
        report=report,
        votes=reports.votes_of(report),
        voted=reports.has_voted(current_user, report),
        can_triage=can(current_user, "report.triage", report),
        can_reopen=can(current_user, "report.reopen", report),
        show_author=can(current_user, "report.see_author", report),
        next_statuses=triage.allowed_next(report.status),
        tile_url=current_app.config["TILE_URL"],
        tile_attribution=current_app.config["TILE_ATTRIBUTION"],
        # Proposals and plans answering the report, from their areas.
        **{"proposals": [], "suggestions": [], "included_in": [], **page_extras(report_page, report, current_user)},
    )


def _back(report_id: int, anchor: str = ""):
    return redirect(url_for("reports.show", report_id=report_id) + anchor)


@bp.post("/<int:report_id>/vote")
@login_required
@write_limit
def vote(report_id: int):
    toggle_vote(votes.vote, votes.unvote, report_id)
    return _back(report_id, "#votes")


@bp.post("/<int:report_id>/comments")
@login_required
@write_limit
def comment(report_id: int):
    post_comment(CommentIn(), triage.add_comment, report_id)
    return _back(report_id, "#comments")


@bp.post("/<int:report_id>/status")
@login_required
@write_limit
def change_status(report_id: int):
    try:
        data = load(StatusIn(), request.form.to_dict())
        triage.change_status(current_user, report_id, data)
    except AppError as err:
        if err.status in (401, 403, 404):
            raise
        flash_errors(err)
    else:
        flash(_("The status was changed."), "success")
    return _back(report_id, "#history")


@bp.post("/<int:report_id>/reopen")
@login_required
@write_limit
def reopen(report_id: int):
    try:
        data = load(NoteIn(), request.form.to_dict())
        triage.reopen(current_user, report_id, data["note"])
    except ValidationFailed as err:
        flash_errors(err)
    return _back(report_id, "#history")


@bp.get("/photos/<filename>")
def photo(filename: str):
    # Temporary files, files of no report and photos of hidden reports are not served.
    if not reports.photo_servable(current_user, filename):
        raise NotFound()
    return send_from_directory(current_app.config["PHOTO_DIR"], filename, max_age=86400)
