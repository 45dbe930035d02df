"""Analytics endpoints: summary, hot spots (GeoJSON), priorities and the heat-map grid."""
from flask import Blueprint, jsonify, request
from flask_login import current_user

from webapp.analytics import priorities, service as analytics
from webapp.analytics.schemas import HeatmapOut, HotspotQuery, HotspotsOut, PrioritiesOut, SummaryOut
from webapp.core.fields import load
from webapp.core.web import current_viewer
from webapp.reports.service import all_categories

bp = Blueprint("analytics_api", __name__, url_prefix="/api/v1")


def _place(code: str):
    return analytics.open_for(current_user, code)


@bp.get("/municipalities/<code>/analytics")
def analytics_summary(code: str):
    place = _place(code)
    return jsonify(SummaryOut(current_viewer()).dump({**analytics.summary(place), "municipality": place}))


@bp.get("/municipalities/<code>/hotspots")
def analytics_hotspots(code: str):
    place = _place(code)
    query = load(HotspotQuery(), request.args.to_dict())
    result = analytics.hotspots(place, query["eps"], query["min_points"])
    return jsonify(HotspotsOut(current_viewer()).dump(result))


@bp.get("/municipalities/<code>/priorities")
def analytics_priorities(code: str):
    place = _place(code)
    query = load(HotspotQuery(), request.args.to_dict())
    result = priorities.priorities(place, query["eps"], query["min_points"])
    categories = {c.id: c for c in all_categories()}
    out = PrioritiesOut(current_viewer(), categories=categories)
    return jsonify(out.dump({**result, "municipality": place, "formula": priorities.FORMULA}))


@bp.get("/municipalities/<code>/heatmap")
def analytics_heatmap(code: str):
    place = _place(code)
    return jsonify(HeatmapOut(current_viewer()).dump(analytics.heatmap(place)))
