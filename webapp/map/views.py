"""Map page."""
from flask import Blueprint, current_app, render_template, request

from webapp.models import STATUSES
from webapp.places import service as municipalities
from webapp.reports.service import all_categories

bp = Blueprint("map", __name__)


@bp.get("/")
def index():
    places = municipalities.all_municipalities()
    chosen = request.args.get("municipality") or (places[0].code if places else "")
    return render_template(
        "map/index.html",
        places=places,
        chosen=chosen,
        categories=all_categories(),
        statuses=STATUSES,
        tile_url=current_app.config["TILE_URL"],
        tile_attribution=current_app.config["TILE_ATTRIBUTION"],
    )
