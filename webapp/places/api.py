"""Municipality endpoints: the list, the one containing a point, one with its outline."""
from flask import Blueprint, jsonify, request
from geoalchemy2.shape import to_shape
from shapely.geometry import mapping

from webapp.core.fields import BaseSchema, latitude, load, longitude
from webapp.core.i18n import current_language
from webapp.places import service as municipalities

bp = Blueprint("places_api", __name__, url_prefix="/api/v1")


class PointQuery(BaseSchema):
    lat = latitude()
    lon = longitude()


def _municipality(m, with_boundary: bool = False) -> dict:
    out = {"code": m.code, "name": m.name, "name_en": m.name_en, "province": m.province,
           "display_name": m.display_name(current_language())}
    if with_boundary:
        shape = to_shape(m.geom)
        out["bbox"] = list(shape.bounds)
        out["boundary"] = mapping(shape.simplify(0.0005, preserve_topology=True))
    return out


@bp.get("/municipalities")
def list_municipalities():
    if "lat" in request.args or "lon" in request.args:
        point = load(PointQuery(), request.args.to_dict())
        found = municipalities.containing(point["lon"], point["lat"])
        return jsonify(municipalities=[_municipality(found)] if found else [])
    return jsonify(municipalities=[_municipality(m) for m in municipalities.all_municipalities()])


@bp.get("/municipalities/<code>")
def show_municipality(code: str):
    return jsonify(_municipality(municipalities.by_code(code, with_boundary=True), with_boundary=True))
