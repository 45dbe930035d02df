"""Small presentation helpers for plan snapshots in templates (money, shares, budget by year)."""
from flask_babel import gettext as _

from webapp.labels import funding_source_label
from webapp.models import BASIS_POINTS, FUNDING_SOURCES

source_label = funding_source_label


def krw(amount) -> str:
    """Whole KRW with thousands separators and the currency in the page language."""
    return _("%(amount)s KRW", amount=f"{int(amount):,}")


def share(part, total) -> str:
    """`part` as a percentage of `total` with two decimals, rounded half up in integers (basis points)."""
    if not total:
        return "–"
    bp = (2 * int(part) * BASIS_POINTS + int(total)) // (2 * int(total))
    return f"{bp // 100}.{bp % 100:02d} %"


def budget_by_year(item: dict) -> list[dict]:
    """Rows of the item's budget: year, amount per source, year total; integers only."""
    years = {}
    for line in item.get("budget", []):
        row = years.setdefault(line["year"], {s: 0 for s in FUNDING_SOURCES})
        row[line["source"]] = row.get(line["source"], 0) + int(line["amount"])
    return [{"year": y, **row, "total": sum(row[s] for s in FUNDING_SOURCES)} for y, row in sorted(years.items())]


def item_totals(item: dict) -> dict:
    """The item's sums by source and overall."""
    sums = {s: 0 for s in FUNDING_SOURCES}
    for line in item.get("budget", []):
        sums[line["source"]] += int(line["amount"])
    sums["total"] = sum(sums[s] for s in FUNDING_SOURCES)
    return sums


def name(entry: dict | None, lang: str, key: str = "name") -> str:
    """The English or Korean name of a snapshot entry (solution, KPI, municipality)."""
    if not entry:
        return ""
    return (entry.get(f"{key}_en") if lang == "en" else entry.get(key)) or entry.get(key) or ""


SOURCES = FUNDING_SOURCES
