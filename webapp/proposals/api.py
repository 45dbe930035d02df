"""Proposal endpoints: GeoJSON search, detail, creation, votes, answers and suggestions for a report."""
from flask import Blueprint, jsonify, request, url_for
from flask_login import current_user

from webapp.core.fields import load
from webapp.core.i18n import current_language
from webapp.core.ratelimit import write_limit
from webapp.moderation.schemas import public_proposal
from webapp.permissions import can
from webapp.proposals import service as proposals, suggestions
from webapp.proposals.schemas import AnswerIn, ProposalFeatures, ProposalIn, ProposalQuery
from webapp.reports import service as reports

bp = Blueprint("proposals_api", __name__, url_prefix="/api/v1")


@bp.get("/proposals")
def list_proposals():
    query = load(ProposalQuery(), request.args.to_dict())
    rows = proposals.search(query)
    write = ProposalFeatures()
    return jsonify(
        type="FeatureCollection",
        features=[write(proposal, votes) for proposal, votes in rows],
        limit=query["limit"],
        truncated=len(rows) == query["limit"],
    )


def _detail(proposal, status: int = 200):
    feature = ProposalFeatures()(
        proposal, proposals.votes_of(proposal), proposals.has_voted(current_user, proposal), detail=True
    )
    # Hidden by moderation: the public gets the reason, not the text.
    return jsonify(public_proposal(feature, proposal, can(current_user, "content.moderate", proposal))), status


@bp.post("/proposals")
@write_limit
def create_proposal():
    data = load(ProposalIn(), request.get_json(silent=True))
    return _detail(proposals.create(current_user, data), 201)


@bp.get("/proposals/<int:proposal_id>")
def show_proposal(proposal_id: int):
    return _detail(proposals.get(proposal_id))


@bp.post("/proposals/<int:proposal_id>/vote")
@write_limit
def vote_proposal(proposal_id: int):
    return jsonify(votes=proposals.vote(current_user, proposal_id), voted=True)


@bp.delete("/proposals/<int:proposal_id>/vote")
@write_limit
def unvote_proposal(proposal_id: int):
    return jsonify(votes=proposals.unvote(current_user, proposal_id), voted=False)


@bp.post("/proposals/<int:proposal_id>/answer")
@write_limit
def answer_proposal(proposal_id: int):
    data = load(AnswerIn(), request.get_json(silent=True))
    return _detail(proposals.answer(current_user, proposal_id, data))


@bp.get("/reports/<int:report_id>/suggestions")
def report_suggestions(report_id: int):
    report = reports.get(report_id)
    lang = current_language()
    return jsonify(
        suggestions=[
            {
                "solution": s.solution.code,
                "solution_id": s.solution.id,
                "name": s.solution.display_name(lang),
                "domain": s.solution.domain,
                "score": s.score,
                "reasons": s.reasons,
                "propose_url": url_for("proposals.new", report=report.id, solution=s.solution.id),
            }
            for s in suggestions.for_report(report)
        ]
    )
