"""Translated labels for the codes stored in the database."""
from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "submitted": _l("Submitted"),
    "under_review": _l("Under review"),
    "planned": _l("Planned"),
    "in_progress": _l("In progress"),
    "resolved": _l("Resolved"),
    "closed": _l("Closed"),
}

CLOSE_REASON_LABELS = {
    "duplicate": _l("Duplicate"),
    "not_feasible": _l("Not feasible"),
    "not_responsible": _l("Not our responsibility"),
}


def status_label(status: str) -> str:
    """The translated label of a report status."""
    return str(STATUS_LABELS.get(status, status))


def close_reason_label(reason: str | None) -> str:
    """The translated label of a closing reason."""
    return str(CLOSE_REASON_LABELS.get(reason, reason or ""))
