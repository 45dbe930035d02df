"""Translated labels for catalogue vocabularies, and KRW cost ranges as people read them."""
from flask_babel import gettext as _, lazy_gettext as _l

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


def label(table: dict, code: str) -> str:
    """The translated label of `code` in `table` (the code itself when unknown)."""
    return str(table.get(code, code))


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
        return f"{low:,} KRW" if low == high else f"{low:,}–{high:,} KRW"
    if low is not None:
        return _("from %(amount)s KRW", amount=f"{low:,}")
    return _("up to %(amount)s KRW", amount=f"{high:,}")
