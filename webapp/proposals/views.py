"""Proposals pages. Routes stay thin: schema, service, template."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.core.fields import as_id, load
from webapp.core.ratelimit import write_limit
from webapp.core.web import flash_errors, post_comment, report_page, toggle_vote
from webapp.errors import AppError, ValidationFailed
from webapp.models import ANSWERS, PROPOSAL_STATUSES
from webapp.permissions import can, require
from webapp.places import service as municipalities
from webapp.proposals import service as proposals, suggestions
from webapp.proposals.schemas import (
    AnswerIn,
    ProposalCommentIn,
    ProposalIn,
    ProposalQuery,
)
from webapp.reports import service as reports

bp = Blueprint("proposals", __name__, url_prefix="/proposals")


def _map_settings() -> dict:
    return {"tile_url": current_app.config["TILE_URL"], "tile_attribution": current_app.config["TILE_ATTRIBUTION"]}


@bp.get("/")
def index():
    try:
        query = load(ProposalQuery(), request.args.to_dict())
    except ValidationFailed:
        query = {"limit": 500}
    return render_template(
        "proposals/index.html",
        rows=proposals.search(query),
        query=query,
        places=municipalities.all_municipalities(),
        statuses=PROPOSAL_STATUSES,
    )


def _ids(values) -> list[int]:
    ids = []
    for value in values:
        for part in str(value).replace(",", " ").split():
            number = as_id(part)
            if number is not None and number not in ids:
                ids.append(number)
    return ids


def _form_data() -> dict:
    data = request.form.to_dict()
    data.pop("report", None)
    data["reports"] = _ids(request.form.getlist("report") + [request.form.get("more_reports", "")])
    if not data["reports"]:
        data.pop("reports")
    if "cost_estimate" in data:
        # People write amounts with thousands separators; the number is the same.
        data["cost_estimate"] = data["cost_estimate"].replace(",", "").replace(" ", "")
    data["anonymous"] = "anonymous" in request.form
    return data


@bp.route("/new", methods=["GET", "POST"])
@login_required
@write_limit
def new():
    errors, message = {}, None
    if request.method == "POST":
        try:
            proposal = proposals.create(current_user, load(ProposalIn(), _form_data()))
        except ValidationFailed as err:
            errors, message = err.fields, err.message
        else:
            flash(_("Thank you! Your proposal has been published."), "success")
            return redirect(url_for("proposals.show", proposal_id=proposal.id))
        chosen_ids = _ids(request.form.getlist("report"))
    else:
        chosen_ids = _ids(request.args.getlist("report"))
    chosen = proposals.existing_reports(chosen_ids)
    candidates = proposals.candidate_reports(chosen[0]) if chosen else []
    shown = {r.id for r in chosen}
    return render_template(
        "proposals/new.html",
        form=request.values,
        errors=errors,
        message=message,
        chosen=chosen,
        candidates=[r for r in candidates if r.id not in shown],
        checked=set(chosen_ids) if request.method == "POST" else shown,
        solutions=proposals.active_solutions(),
        **_map_settings(),
    ), 422 if errors else 200


def _geo(proposal) -> dict:
    """The proposed sites and the problems' points, for the page's map."""
    from geoalchemy2.shape import to_shape

    sites = [[p.x, p.y] for p in to_shape(proposal.sites).geoms] if proposal.sites is not None else []
    # A report hidden by moderation shows its number only, except to its staff.
    secret = {r.id for r in proposal.reports if r.hidden and not can(current_user, "content.moderate", r)}
    points = [{"lon": to_shape(r.geom).x, "lat": to_shape(r.geom).y,
               "title": f"#{r.id}" if r.id in secret else f"#{r.id} {r.title}"}
              for r in proposal.reports]
    return {"sites": sites, "reports": points}


@bp.get("/<int:proposal_id>")
def show(proposal_id: int):
    proposal = proposals.get(proposal_id)
    return render_template(
        "proposals/show.html",
        proposal=proposal,
        votes=proposals.votes_of(proposal),
        voted=proposals.has_voted(current_user, proposal),
        report_votes={r.id: reports.votes_of(r) for r in proposal.reports},
        can_answer=can(current_user, "proposal.answer", proposal),
        show_author=can(current_user, "proposal.see_author", proposal),
        answers=ANSWERS,
        geo=_geo(proposal),
        **_map_settings(),
    )


def _back(proposal_id: int, anchor: str = ""):
    return redirect(url_for("proposals.show", proposal_id=proposal_id) + anchor)


@bp.post("/<int:proposal_id>/vote")
@login_required
@write_limit
def vote(proposal_id: int):
    toggle_vote(proposals.vote, proposals.unvote, proposal_id)
    return _back(proposal_id, "#votes")


@bp.post("/<int:proposal_id>/comments")
@login_required
@write_limit
def comment(proposal_id: int):
    post_comment(ProposalCommentIn(), proposals.add_comment, proposal_id)
    return _back(proposal_id, "#comments")


@bp.post("/<int:proposal_id>/answer")
@login_required
@write_limit
def answer(proposal_id: int):
    # Someone who may not answer learns nothing about what a valid answer looks like.
    require(current_user, "proposal.answer", proposals.get(proposal_id))
    try:
        data = load(AnswerIn(), request.form.to_dict())
        proposals.answer(current_user, proposal_id, data)
    except AppError as err:
        if err.status in (401, 403, 404):
            raise
        flash_errors(err)
    else:
        flash(_("The answer was published."), "success")
    return _back(proposal_id, "#answer")


@report_page.connect
def _report_page(report, user) -> dict:
    """The report page lists the proposals answering the report and the catalogue's suggestions for it."""
    return {"proposals": proposals.for_report(report.id), "suggestions": suggestions.for_report(report)}
