"""Problem analytics for planners: counts, monthly new vs resolved, hot spots and the heat map.

Everything is computed in Python from plain rows, so SpatiaLite and PostGIS give the same numbers.
"""
from collections import Counter
from datetime import datetime, timezone

from flask import current_app
from sqlalchemy import func, select

from geo.heatmap import density_grid
from geo.hotspots import dbscan
from webapp.core.time import SEOUL, as_utc as utc, utcnow
from webapp.extensions import db
from webapp.models import OPEN_STATUSES, STATUSES, Municipality, Report, StatusChange, Vote
from webapp.permissions import can, require
from webapp.places import service as municipalities
from webapp.reports.service import all_categories

MONTHS = 12

def setting(name: str):
    """An analytics setting (ANALYTICS_* in webapp/config.py, overridable from the environment)."""
    return current_app.config[name]


def analysable(user) -> list[Municipality]:
    """The municipalities the user may analyse, by code."""
    return [m for m in municipalities.all_municipalities() if can(user, "analytics.view", m)]


def open_for(user, code: str) -> Municipality:
    """The municipality with this code if the user may analyse it (NotFound, Unauthorized, Forbidden)."""
    municipality = municipalities.by_code(code)
    require(user, "analytics.view", municipality)
    return municipality


def month_keys(now: datetime, count: int = MONTHS) -> list[str]:
    """The last `count` months up to and including now's month, in Seoul, as "YYYY-MM", oldest first."""
    local = utc(now).astimezone(SEOUL)
    index = local.year * 12 + local.month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1)]


def _month_start_utc(key: str) -> datetime:
    year, month = (int(part) for part in key.split("-"))
    return datetime(year, month, 1, tzinfo=SEOUL).astimezone(timezone.utc)


def _month_of(moment: datetime) -> str:
    return utc(moment).astimezone(SEOUL).strftime("%Y-%m")


def summary(municipality: Municipality, now: datetime | None = None) -> dict:
    """Counts by category (all, zeros included) and status, and new vs resolved per Seoul month."""
    now = now or utcnow()
    in_place = Report.municipality_id == municipality.id
    by_category = Counter()
    open_by_category = Counter()
    by_status = Counter()
    for category_id, status, n in db.session.execute(
        select(Report.category_id, Report.status, func.count(Report.id)).where(in_place)
        .group_by(Report.category_id, Report.status)
    ):
        by_category[category_id] += n
        by_status[status] += n
        if status in OPEN_STATUSES:
            open_by_category[category_id] += n
    keys = month_keys(now)
    since = _month_start_utc(keys[0])
    new = Counter(_month_of(t) for t in db.session.scalars(
        select(Report.created_at).where(in_place, Report.created_at >= since)))
    resolved = Counter(_month_of(t) for t in db.session.scalars(
        select(StatusChange.created_at).join(Report, StatusChange.report_id == Report.id)
        .where(in_place, StatusChange.to_status == "resolved", StatusChange.created_at >= since)))
    return {
        "total": sum(by_status.values()),
        "open": sum(by_status[s] for s in OPEN_STATUSES),
        "by_category": [
            {"code": c.code, "category": c, "count": by_category[c.id], "open": open_by_category[c.id]}
            for c in all_categories()
        ],
        "by_status": [{"status": s, "count": by_status[s]} for s in STATUSES],
        "monthly": [{"month": k, "new": new[k], "resolved": resolved[k]} for k in keys],
    }


def report_rows(municipality: Municipality, status: str = "open") -> list[dict]:
    """The municipality's reports (open ones, or all) with point, category, votes and creation time."""
    votes = select(Vote.report_id, func.count(Vote.id).label("n")).group_by(Vote.report_id).subquery()
    stmt = (
        select(Report.id, func.ST_X(Report.geom), func.ST_Y(Report.geom), Report.category_id,
               Report.created_at, Report.title, func.coalesce(votes.c.n, 0))
        .outerjoin(votes, votes.c.report_id == Report.id)
        .where(Report.municipality_id == municipality.id)
        .order_by(Report.id)
    )
    if status == "open":
        stmt = stmt.where(Report.status.in_(OPEN_STATUSES))
    elif status != "all":
        stmt = stmt.where(Report.status == status)
    return [
        {"id": rid, "lon": float(lon), "lat": float(lat), "category_id": cid,
         "created_at": utc(created), "title": title, "votes": int(n)}
        for rid, lon, lat, cid, created, title, n in db.session.execute(stmt)
    ]


def clusters_of(rows: list[dict], eps_m: float, min_points: int) -> tuple[list[dict], list[int]]:
    """Hot spots (ordered by id) among the rows, and the ids of rows in none."""
    categories = {c.id: c for c in all_categories()}
    by_id = {r["id"]: r for r in rows}
    result = dbscan([(r["id"], r["lon"], r["lat"]) for r in rows], eps_m, min_points)
    spots = []
    for cluster in result.clusters:
        members = [by_id[i] for i in cluster.members]
        counts = Counter(r["category_id"] for r in members)
        # The most frequent category; a tie goes to the category listed first.
        top = min(counts, key=lambda cid: (-counts[cid], categories[cid].position, cid))
        spots.append({
            "id": cluster.id,
            "size": len(members),
            "members": list(cluster.members),
            "core": list(cluster.core),
            "titles": {r["id"]: r["title"] for r in members},
            "top_category": categories[top],
            "top_category_count": counts[top],
            "votes": sum(r["votes"] for r in members),
            "oldest_at": min(r["created_at"] for r in members),
            "outline": cluster.outline,
        })
    return spots, list(result.noise)


def hotspots(municipality: Municipality, eps_m: float | None = None, min_points: int | None = None,
             status: str = "open") -> dict:
    """Clusters of nearby reports (DBSCAN, eps in metres) with size, top category, votes and outline."""
    eps_m = float(eps_m if eps_m is not None else setting("ANALYTICS_EPS_M"))
    min_points = int(min_points if min_points is not None else setting("ANALYTICS_MIN_POINTS"))
    rows = report_rows(municipality, status)
    spots, noise = clusters_of(rows, eps_m, min_points)
    return {"eps_m": eps_m, "min_points": min_points, "status": status,
            "hotspots": spots, "noise": noise, "reports": len(rows)}


def heatmap(municipality: Municipality, status: str = "open") -> dict:
    """A density grid of the reports (cells in metres, intensity 0..1)."""
    cell_m, radius_m = float(setting("ANALYTICS_HEAT_CELL_M")), float(setting("ANALYTICS_HEAT_RADIUS_M"))
    rows = report_rows(municipality, status)
    cells = density_grid([(r["id"], r["lon"], r["lat"]) for r in rows], cell_m, radius_m)
    return {"cell_m": cell_m, "radius_m": radius_m, "status": status, "cells": cells}
