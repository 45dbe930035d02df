"""Votes: one per user and report, enforced by the database's unique constraint."""
from flask_babel import lazy_gettext as _l

from webapp.errors import Conflict
from webapp.models import OPEN_STATUSES
from webapp.permissions import require
from webapp.reports.service import BALLOTS, get, votes_of


def vote(user, report_id: int) -> int:
    """Add the user's vote (voting twice counts once); returns the report's vote count."""
    report = get(report_id)
    require(user, "report.vote", report)
    if report.status not in OPEN_STATUSES:
        raise Conflict(_l("Only open reports can receive votes."))
    BALLOTS.cast(user, report.id)
    return votes_of(report)


def unvote(user, report_id: int) -> int:
    """Withdraw the user's vote if there is one; returns the report's vote count."""
    report = get(report_id)
    require(user, "report.vote", report)
    BALLOTS.withdraw(user, report.id)
    return votes_of(report)
