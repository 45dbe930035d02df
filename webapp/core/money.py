"""Money in one place: budget totals by funding source, shares in basis points, KRW and percent text.

Amounts are whole won (int) and shares are basis points (int, 1/100 of a percent): no float ever
touches money, so every page, the API, the CSV, the print/PDF and the rule check agree digit for digit.

The one rounding rule: a share is rounded UP to the next basis point (ceiling). A call's limit is a
whole number of basis points, so "the exact share is over the limit" and "the shown share is over
the limit" are then the same statement: 2,000,000,001 of 4,000,000,000 (50.0000000025 %) shows as
50.01 % and breaks a 50 % limit; a share shown as 50.00 % is never above 50 %. Rounding half up or
down would show 50.00 % beside a violation, and a shown share of 50.00 % could hide one.
"""
from flask_babel import gettext as _

from webapp.models.plans import BASIS_POINTS, FUNDING_SOURCES


def sum_lines(lines) -> dict:
    """Whole-KRW sums of (source, amount) pairs by funding source, and "total" (integers only)."""
    sums = {source: 0 for source in FUNDING_SOURCES}
    for source, amount in lines:
        sums[source] += int(amount)
    sums["total"] = sum(sums[source] for source in FUNDING_SOURCES)
    return sums


def totals(items) -> dict:
    """The sums by source and overall of plan items (model objects with budget lines)."""
    return sum_lines((line.source, line.amount) for item in items for line in item.budget_lines)


def with_total(by_source: dict) -> dict:
    """Sums by source (typed, not saved) completed with every source and their "total"."""
    return sum_lines((source, by_source.get(source, 0)) for source in FUNDING_SOURCES)


def item_totals(item: dict) -> dict:
    """The sums by source and overall of a snapshot item (its "budget" lines)."""
    return sum_lines((line["source"], line["amount"]) for line in item.get("budget", []))


def budget_by_year(item: dict) -> list[dict]:
    """Rows of a snapshot item's budget, by year: the amount per source and the year's total."""
    years = {}
    for line in item.get("budget", []):
        years.setdefault(line["year"], []).append((line["source"], line["amount"]))
    return [{"year": year, **sum_lines(lines)} for year, lines in sorted(years.items())]


def share_bp(part: int, total: int) -> int:
    """`part` of `total` in basis points, rounded up (see the module docstring); 0 of an empty budget."""
    part, total = int(part), int(total)
    if total <= 0:
        return 0
    return -(-part * BASIS_POINTS // total)


def over_share(part: int, total: int, limit_bp: int) -> bool:
    """True when the share of `part` is above `limit_bp`: the shown share decides, so both always agree."""
    return share_bp(part, total) > int(limit_bp)


def grouped(amount: int) -> str:
    """Whole won with thousands separators: "2,000,000,001"."""
    return f"{int(amount):,}"


def krw(amount: int) -> str:
    """Whole KRW with separators and the currency in the page language ("1,500 KRW", "1,500원")."""
    return _("%(amount)s KRW", amount=grouped(amount))


def percent_text(bp: int) -> str:
    """A share's number with exactly two decimals, no sign: 5001 -> "50.01" (as in "%(share)s %%")."""
    whole, rest = divmod(int(bp), 100)
    return f"{whole}.{rest:02d}"


def percent(bp: int) -> str:
    """A share as shown everywhere: 5001 -> "50.01 %"."""
    return f"{percent_text(bp)} %"


def share_percent(part: int, total: int) -> str:
    """`part` of `total` as shown everywhere ("50.01 %"); the one rounding of `share_bp`."""
    return percent(share_bp(part, total))


def limit_text(bp: int) -> str:
    """A limit as an administrator types it, without trailing zeros: 5000 -> "50", 3750 -> "37.5"."""
    whole, rest = divmod(int(bp), 100)
    return f"{whole}" if rest == 0 else f"{whole}.{rest:02d}".rstrip("0")


def _korean_amount(won: int) -> str:
    """150000000 -> "1억 5,000만" (Korean reads money in units of 10^8 and 10^4)."""
    eok, rest = divmod(won, 100_000_000)
    man, units = divmod(rest, 10_000)
    parts = []
    if eok:
        parts.append(f"{eok:,}억")
    if man:
        parts.append(f"{man:,}만")
    if units or not parts:
        parts.append(f"{units:,}")
    return " ".join(parts)


def krw_range(low: int | None, high: int | None, lang: str) -> str:
    """A cost range in KRW: "1억~3억 원" in Korean, "100,000,000–300,000,000 KRW" in English; "" if unknown."""
    if low is None and high is None:
        return ""
    # Korean groups digits by 억 and 만, which no translated format string can express.
    if lang == "ko":
        if low is not None and high is not None:
            if low == high:
                return f"{_korean_amount(low)} 원"
            return f"{_korean_amount(low)}~{_korean_amount(high)} 원"
        if low is not None:
            return f"{_korean_amount(low)} 원 이상"
        return f"최대 {_korean_amount(high)} 원"
    if low is not None and high is not None:
        return f"{grouped(low)} KRW" if low == high else f"{grouped(low)}–{grouped(high)} KRW"
    if low is not None:
        return _("from %(amount)s KRW", amount=grouped(low))
    return _("up to %(amount)s KRW", amount=grouped(high))
