"""Analytics endpoints: summary, hot spots (GeoJSON), priorities and the heat-map grid."""
from flask import Blueprint, jsonify, request
from flask_login import current_user

from webapp.analytics import priorities, service as analytics
from webapp.analytics.schemas import HotspotQuery, heat_collection, hotspot_collection, plain_number, priority_item
from webapp.core.fields import load
from webapp.core.i18n import current_language
from webapp.core.labels import status_label
from webapp.core.time import utc_iso
from webapp.reports.service import all_categories

bp = Blueprint("analytics_api", __name__, url_prefix="/api/v1")


def _place(code: str):
    return analytics.open_for(current_user, code)


def _municipality(m) -> dict:
    return {"code": m.code, "name": m.name, "name_en": m.name_en, "display_name": m.display_name(current_language())}


@bp.get("/municipalities/<code>/analytics")
def analytics_summary(code: str):
    place = _place(code)
    data = analytics.summary(place)
    lang = current_language()
    return jsonify(
        municipality=_municipality(place),
        total=data["total"],
        open=data["open"],
        by_category=[
            {"code": row["code"], "name": row["category"].display_name(lang), "count": row["count"],
             "open": row["open"]}
            for row in data["by_category"]
        ],
        by_status=[dict(row, name=status_label(row["status"])) for row in data["by_status"]],
        monthly=data["monthly"],
        timezone="Asia/Seoul",
    )


@bp.get("/municipalities/<code>/hotspots")
def analytics_hotspots(code: str):
    place = _place(code)
    query = load(HotspotQuery(), request.args.to_dict())
    result = analytics.hotspots(place, query["eps"], query["min_points"])
    return jsonify(hotspot_collection(result, current_language()))


@bp.get("/municipalities/<code>/priorities")
def analytics_priorities(code: str):
    place = _place(code)
    query = load(HotspotQuery(), request.args.to_dict())
    result = priorities.priorities(place, query["eps"], query["min_points"])
    lang = current_language()
    categories = {c.id: c for c in all_categories()}
    return jsonify(
        municipality=_municipality(place),
        parameters={"eps": plain_number(result["eps_m"]), "min_points": result["min_points"]},
        weights=result["weights"],
        formula=priorities.FORMULA,
        now=utc_iso(result["now"]),
        total=result["total"],
        items=[priority_item(item, lang, categories) for item in result["items"]],
    )


@bp.get("/municipalities/<code>/heatmap")
def analytics_heatmap(code: str):
    place = _place(code)
    return jsonify(heat_collection(analytics.heatmap(place)))
