"""Small presentation helpers for plan snapshots in templates; money comes from webapp.core.money."""
from webapp.core.labels import funding_source_label
from webapp.core.money import budget_by_year, item_totals, krw, share_percent as share  # noqa: F401  (for templates)
from webapp.models import FUNDING_SOURCES

source_label = funding_source_label
SOURCES = FUNDING_SOURCES


def name(entry: dict | None, lang: str, key: str = "name") -> str:
    """The English or Korean name of a snapshot entry (solution, KPI, municipality)."""
    if not entry:
        return ""
    return (entry.get(f"{key}_en") if lang == "en" else entry.get(key)) or entry.get(key) or ""
