"""Moving reports through their life cycle, with history and audit."""
from flask_babel import lazy_gettext as _l

from webapp.core import audit
from webapp.errors import Conflict, ValidationFailed
from webapp.extensions import db
from webapp.models import Comment, Report, StatusChange
from webapp.permissions import can, require
from webapp.reports.service import get

# Which status a planner may move a report to from each status.
TRANSITIONS = {
    "submitted": {"under_review", "closed"},
    "under_review": {"planned", "in_progress", "resolved", "closed"},
    "planned": {"in_progress", "resolved", "closed"},
    "in_progress": {"resolved", "closed"},
    "resolved": {"in_progress"},
    "closed": {"under_review"},
}


def allowed_next(status: str) -> list[str]:
    """The statuses reachable from `status`, in life-cycle order."""
    order = ["submitted", "under_review", "planned", "in_progress", "resolved", "closed"]
    return [s for s in order if s in TRANSITIONS.get(status, ())]


def _change(report, actor, to_status: str, note: str, close_reason=None) -> StatusChange:
    change = StatusChange(
        actor_id=actor.id,
        from_status=report.status,
        to_status=to_status,
        close_reason=close_reason,
        note=note,
    )
    report.history.append(change)
    report.status = to_status
    report.close_reason = close_reason
    report.touch()
    return change


def change_status(user, report_id: int, data: dict):
    """Move a report to a new status (planners of its municipality, or admins); records why."""
    report = get(report_id)
    require(user, "report.triage", report)
    target = data["status"]
    if target not in TRANSITIONS.get(report.status, ()):
        raise Conflict(_l("A report cannot move from this status to that one."))
    note = (data.get("note") or "").strip()
    reason = data.get("close_reason") if target == "closed" else None
    if target == "closed" and not note:
        raise ValidationFailed(fields={"note": [_l("Explain the closing to the reporter.")]})
    duplicate_of_id = None
    if reason == "duplicate":
        original = db.session.get(Report, data["duplicate_of"]) if data.get("duplicate_of") else None
        if original is None or original.id == report.id:
            raise ValidationFailed(fields={"duplicate_of": [_l("Name another existing report.")]})
        duplicate_of_id = original.id
    # Change nothing before every check has passed.
    report.duplicate_of_id = duplicate_of_id
    change = _change(report, user, target, note, reason)
    audit.record(user, "report.status", report, to=target, reason=reason, **{"from": change.from_status})
    db.session.commit()
    return report


def reopen(user, report_id: int, note: str):
    """The reporter (or staff) reopens a resolved report; it goes back to review."""
    report = get(report_id)
    require(user, "report.reopen", report)
    if not (note or "").strip():
        raise ValidationFailed(fields={"note": [_l("This field is required.")]})
    change = _change(report, user, "under_review", note.strip())
    if can(user, "report.triage", report):
        # Staff reopening is a staff state change like any other: it goes into the audit trail.
        audit.record(user, "report.reopen", report, to=change.to_status, **{"from": change.from_status})
    db.session.commit()
    return report


def add_comment(user, report_id: int, body: str) -> Comment:
    """Add a plain-text comment to a report."""
    report = get(report_id)
    require(user, "report.comment", report)
    comment = Comment(report_id=report.id, author_id=user.id, body=body.strip())
    db.session.add(comment)
    db.session.commit()
    return comment
