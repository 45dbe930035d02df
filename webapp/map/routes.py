"""Map page."""
from flask import current_app, render_template, request

from webapp.map import bp
from webapp.models import STATUSES
from webapp.services import municipalities
from webapp.services.reports import all_categories


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
