"""Votes: one per user and report, enforced by the database's unique constraint."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from webapp.errors import Conflict
from webapp.extensions import db
from webapp.models import OPEN_STATUSES, Vote
from webapp.permissions import require
from webapp.services.reports import get, votes_of


def vote(user, report_id: int) -> int:
    """Add the user's vote (voting twice counts once); returns the report's vote count."""
    report = get(report_id)
    require(user, "report.vote", report)
    if report.status not in OPEN_STATUSES:
        raise Conflict(_l("Only open reports can receive votes."))
    try:
        db.session.add(Vote(report_id=report.id, user_id=user.id))
        db.session.commit()
    except IntegrityError:
        # A concurrent or repeated vote by the same user: the constraint kept one row.
        db.session.rollback()
    return votes_of(report)


def unvote(user, report_id: int) -> int:
    """Withdraw the user's vote if there is one; returns the report's vote count."""
    report = get(report_id)
    require(user, "report.vote", report)
    db.session.execute(delete(Vote).where(Vote.report_id == report.id, Vote.user_id == user.id))
    db.session.commit()
    return votes_of(report)
