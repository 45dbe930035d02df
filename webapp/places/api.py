"""Municipality endpoints: the list, the one containing a point, one with its outline."""
from flask import Blueprint, jsonify, request

from webapp.core.fields import load
from webapp.core.output import MunicipalityOut
from webapp.core.web import current_viewer
from webapp.places import service as municipalities
from webapp.places.schemas import MunicipalityOutlineOut, PointQuery

bp = Blueprint("places_api", __name__, url_prefix="/api/v1")


@bp.get("/municipalities")
def list_municipalities():
    if "lat" in request.args or "lon" in request.args:
        point = load(PointQuery(), request.args.to_dict())
        found = municipalities.containing(point["lon"], point["lat"])
        rows = [found] if found else []
    else:
        rows = municipalities.all_municipalities()
    return jsonify(municipalities=MunicipalityOut(current_viewer()).dump(rows, many=True))


@bp.get("/municipalities/<code>")
def show_municipality(code: str):
    found = municipalities.by_code(code, with_boundary=True)
    return jsonify(MunicipalityOutlineOut(current_viewer()).dump(found))
