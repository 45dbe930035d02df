"""Proposal endpoints: GeoJSON search, detail, creation, votes, answers and suggestions for a report."""
from flask import Blueprint, jsonify, request
from flask_login import current_user

from webapp.core.fields import load
from webapp.core.output import VoteOut, feature_collection
from webapp.core.ratelimit import write_limit
from webapp.core.web import current_viewer
from webapp.proposals import service as proposals, suggestions
from webapp.proposals.schemas import (
    AnswerIn,
    Counted,
    ProposalDetailOut,
    ProposalIn,
    ProposalOut,
    ProposalQuery,
    SuggestionOut,
)
from webapp.reports import service as reports

bp = Blueprint("proposals_api", __name__, url_prefix="/api/v1")


@bp.get("/proposals")
def list_proposals():
    query = load(ProposalQuery(), request.args.to_dict())
    rows = proposals.search(query)
    features = ProposalOut(current_viewer()).dump([Counted(proposal, votes) for proposal, votes in rows], many=True)
    return jsonify(feature_collection(features, limit=query["limit"], truncated=len(rows) == query["limit"]))


def _detail(proposal, status: int = 200):
    row = Counted(proposal, proposals.votes_of(proposal), proposals.has_voted(current_user, proposal))
    return jsonify(ProposalDetailOut(current_viewer()).dump(row)), status


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
    return jsonify(VoteOut().dump({"votes": proposals.vote(current_user, proposal_id), "voted": True}))


@bp.delete("/proposals/<int:proposal_id>/vote")
@write_limit
def unvote_proposal(proposal_id: int):
    return jsonify(VoteOut().dump({"votes": proposals.unvote(current_user, proposal_id), "voted": False}))


@bp.post("/proposals/<int:proposal_id>/answer")
@write_limit
def answer_proposal(proposal_id: int):
    data = load(AnswerIn(), request.get_json(silent=True))
    return _detail(proposals.answer(current_user, proposal_id, data))


@bp.get("/reports/<int:report_id>/suggestions")
def report_suggestions(report_id: int):
    report = reports.get(report_id)
    found = suggestions.for_report(report)
    return jsonify(suggestions=SuggestionOut(current_viewer(), report_id=report.id).dump(found, many=True))
