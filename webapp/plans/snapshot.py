"""A plan as plain data: the snapshot frozen when the plan is submitted (shape: plans.schemas.output.SnapshotOut).

The snapshot is what evaluators score, what the public page and documents show for a submitted
version, and what version comparisons read; it never changes once stored.
"""
from sqlalchemy import func, select

from webapp.core.output import Viewer
from webapp.extensions import db
from webapp.models import Plan, ProposalVote, Vote
from webapp.plans.schemas.output import SnapshotOut, Votes

# A stored snapshot is the same for everyone: it depends on no viewer, language or permission.
NO_VIEWER = Viewer()


def _counts(model, column, ids) -> dict:
    if not ids:
        return {}
    rows = db.session.execute(select(column, func.count(model.id)).where(column.in_(ids)).group_by(column))
    return dict(rows.all())


def votes_for(items) -> Votes:
    """The support of the reports and proposals the plan items answer (one query for each kind)."""
    report_ids = sorted({r.id for item in items for r in item.reports})
    proposal_ids = sorted({p.id for item in items for p in item.proposals})
    return Votes(reports=_counts(Vote, Vote.report_id, report_ids),
                 proposals=_counts(ProposalVote, ProposalVote.proposal_id, proposal_ids))


def snapshot(plan: Plan) -> dict:
    """The whole plan as JSON-ready data (amounts as integers, decimals as strings, sites as GeoJSON)."""
    return SnapshotOut(NO_VIEWER, votes=votes_for(plan.items)).dump(plan)
