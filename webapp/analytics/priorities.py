"""The priority list: hot spots and lone open reports ranked by votes, cluster size and age.

The formula lives here and only here:

    score = W_votes * ln(1 + votes) + W_size * ln(1 + reports) + W_age * min(age_days, cap) / cap

Votes and size have diminishing returns (the 100th vote adds less than the 2nd); age grows linearly
up to the cap. A lone report counts as one report. Each part is rounded to 0.01 points and the score
is the sum of the rounded parts, so the explanation on screen adds up exactly.
"""
import math
from datetime import datetime

from webapp.analytics.service import clusters_of, report_rows, setting
from webapp.core.time import utcnow
from webapp.models import Municipality

FORMULA = "score = W_votes * ln(1 + votes) + W_size * ln(1 + reports) + W_age * min(age_days, cap) / cap"


def weights() -> dict:
    """The weights and age cap in force."""
    return {
        "votes": float(setting("ANALYTICS_WEIGHT_VOTES")),
        "size": float(setting("ANALYTICS_WEIGHT_SIZE")),
        "age": float(setting("ANALYTICS_WEIGHT_AGE")),
        "age_cap_days": int(setting("ANALYTICS_AGE_CAP_DAYS")),
    }


def age_days(created_at: datetime, now: datetime) -> int:
    """Whole days since `created_at` (never negative)."""
    return max(0, int((now - created_at).total_seconds() // 86400))


def components(votes: int, size: int, days: int, w: dict) -> dict:
    """Each part of the score: its value and its points."""
    cap = max(w["age_cap_days"], 1)
    return {
        "votes": {"value": votes, "points": round(w["votes"] * math.log1p(votes), 2)},
        "size": {"value": size, "points": round(w["size"] * math.log1p(size), 2)},
        "age": {"value": days, "points": round(w["age"] * min(days, cap) / cap, 2)},
    }


def _item(kind: str, ident: int, votes: int, size: int, oldest: datetime, now: datetime, w: dict) -> dict:
    parts = components(votes, size, age_days(oldest, now), w)
    return {
        "kind": kind, "id": ident, "votes": votes, "size": size, "age_days": parts["age"]["value"],
        "components": parts, "score": round(sum(p["points"] for p in parts.values()), 2),
    }


def priorities(municipality: Municipality, eps_m: float | None = None, min_points: int | None = None,
               now: datetime | None = None, limit: int | None = None) -> dict:
    """Hot spots and open reports outside every hot spot, best first (score desc, then id)."""
    now = now or utcnow()
    eps_m = float(eps_m if eps_m is not None else setting("ANALYTICS_EPS_M"))
    min_points = int(min_points if min_points is not None else setting("ANALYTICS_MIN_POINTS"))
    w = weights()
    rows = report_rows(municipality, "open")
    spots, noise = clusters_of(rows, eps_m, min_points)
    by_id = {r["id"]: r for r in rows}
    items = []
    for spot in spots:
        item = _item("hotspot", spot["id"], spot["votes"], spot["size"], spot["oldest_at"], now, w)
        item.update(hotspot=spot, title=None, top_category=spot["top_category"])
        items.append(item)
    for rid in noise:
        row = by_id[rid]
        item = _item("report", rid, row["votes"], 1, row["created_at"], now, w)
        item.update(report=row, title=row["title"], top_category=None, category_id=row["category_id"])
        items.append(item)
    # Ids never clash: a hot spot is named by its smallest member, which is then not a lone report.
    items.sort(key=lambda i: (-i["score"], i["id"]))
    for rank, item in enumerate(items, start=1):
        item["rank"] = rank
    return {
        "eps_m": eps_m, "min_points": min_points, "now": now, "weights": w,
        "total": len(items), "items": items[:limit] if limit else items,
    }
