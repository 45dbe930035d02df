"""Translated labels for the codes stored in the database (money is formatted by webapp.core.money)."""
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

PROPOSAL_STATUS_LABELS = {
    "open": _l("Open for votes"),
    "accepted": _l("Accepted for planning"),
    "not_now": _l("Not now"),
    "not_feasible": _l("Not feasible"),
}

FUNDING_SOURCE_LABELS = {"national": _l("National"), "local": _l("Local"), "private": _l("Private")}

DOMAIN_LABELS = {
    "transport": _l("Transport"),
    "transport_safety": _l("Traffic safety"),
    "safety": _l("Safety and security"),
    "disaster": _l("Disasters"),
    "environment": _l("Environment"),
    "energy": _l("Energy"),
    "water": _l("Water"),
    "waste": _l("Waste"),
    "welfare": _l("Welfare and care"),
    "infrastructure": _l("Urban infrastructure"),
    "economy": _l("Economy and tourism"),
    "governance": _l("Governance"),
}
THEME_LABELS = {key: DOMAIN_LABELS[key] for key in (
    "transport", "safety", "disaster", "environment", "energy", "water", "waste", "welfare", "governance")}
DIRECTION_LABELS = {"higher": _l("Higher is better"), "lower": _l("Lower is better")}
STANDARD_LABELS = {
    "ISO 37120": "ISO 37120",
    "ISO 37122": "ISO 37122",
    "U4SSC": "ITU-T Y.4903 (U4SSC)",
    "local": _l("Local indicator"),
}


def label(table: dict, code: str | None) -> str:
    """The translated label of `code` in `table` (the code itself when unknown)."""
    return str(table.get(code, code or ""))


def status_label(status: str) -> str:
    """The translated label of a report status."""
    return str(STATUS_LABELS.get(status, status))


def close_reason_label(reason: str | None) -> str:
    """The translated label of a closing reason."""
    return str(CLOSE_REASON_LABELS.get(reason, reason or ""))


def proposal_status_label(status: str) -> str:
    """The translated label of a proposal status."""
    return label(PROPOSAL_STATUS_LABELS, status)


def funding_source_label(source: str) -> str:
    """The translated name of a funding source."""
    return label(FUNDING_SOURCE_LABELS, source)


def domain_label(domain: str) -> str:
    """The translated label of a solution domain."""
    return label(DOMAIN_LABELS, domain)
