"""Analytics input (hot-spot parameters) and GeoJSON/JSON output."""
from flask import url_for
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate
from shapely.geometry import mapping

from webapp.core.fields import MESSAGES, BaseSchema, integer
from webapp.core.time import utc_iso

EPS_RANGE = (10, 2000)
MIN_POINTS_RANGE = (2, 50)
_RANGE = _l("Must be between {min} and {max}.")


class HotspotQuery(BaseSchema):
    """eps (metres) and min_points; missing ones are filled from the settings by the caller."""

    eps = fields.Float(
        load_default=None, allow_nan=False,
        validate=validate.Range(min=EPS_RANGE[0], max=EPS_RANGE[1], error=_RANGE),
        error_messages={**MESSAGES, "invalid": _l("Not a valid number.")},
    )
    min_points = integer(
        required=False, load_default=None,
        validate=validate.Range(min=MIN_POINTS_RANGE[0], max=MIN_POINTS_RANGE[1], error=_RANGE),
    )


def _coords(shape, digits: int = 7) -> dict:
    geo = mapping(shape)
    geo["coordinates"] = [[[round(x, digits), round(y, digits)] for x, y in ring] for ring in geo["coordinates"]]
    return geo


def plain_number(value: float) -> float | int:
    """A whole float as an int (150.0 -> 150), so echoed parameters read as they were given."""
    return int(value) if float(value).is_integer() else value


def hotspot_feature(spot: dict, lang: str) -> dict:
    """A hot spot as a GeoJSON Feature (outline polygon, figures and member links)."""
    category = spot["top_category"]
    return {
        "type": "Feature",
        "id": spot["id"],
        "geometry": _coords(spot["outline"]),
        "properties": {
            "id": spot["id"], "size": spot["size"], "votes": spot["votes"],
            "top_category": category.code, "top_category_name": category.display_name(lang),
            "top_category_count": spot["top_category_count"], "color": category.color,
            "oldest_at": utc_iso(spot["oldest_at"]),
            "members": [
                {"id": rid, "title": spot["titles"][rid], "url": url_for("reports.show", report_id=rid),
                 "core": rid in spot["core"]}
                for rid in spot["members"]
            ],
        },
    }


def hotspot_collection(result: dict, lang: str) -> dict:
    """The hot spots as a FeatureCollection with the parameters echoed."""
    return {
        "type": "FeatureCollection",
        "parameters": {"eps": plain_number(result["eps_m"]), "min_points": result["min_points"],
                       "status": result["status"]},
        "reports": result["reports"],
        "noise": len(result["noise"]),
        "features": [hotspot_feature(s, lang) for s in result["hotspots"]],
    }


def priority_item(item: dict, lang: str, categories: dict) -> dict:
    """One ranked item with its score parts."""
    out = {key: item[key] for key in ("rank", "kind", "id", "score", "votes", "size", "age_days", "components")}
    if item["kind"] == "hotspot":
        spot = item["hotspot"]
        out.update(members=spot["members"], top_category=spot["top_category"].code,
                   top_category_name=spot["top_category"].display_name(lang))
    else:
        category = categories[item["category_id"]]
        out.update(title=item["title"], url=url_for("reports.show", report_id=item["id"]),
                   category=category.code, category_name=category.display_name(lang))
    return out


def heat_collection(result: dict) -> dict:
    """The heat-map grid as a FeatureCollection of cells with their intensity."""
    return {
        "type": "FeatureCollection",
        "parameters": {"cell_m": plain_number(result["cell_m"]), "radius_m": plain_number(result["radius_m"]),
                       "status": result["status"]},
        "features": [
            {"type": "Feature", "geometry": _coords(c["polygon"]),
             "properties": {"intensity": c["intensity"], "weight": c["weight"]}}
            for c in result["cells"]
        ],
    }
