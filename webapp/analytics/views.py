"""Analytics pages. Routes stay thin: schema, service, template."""
from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from webapp.analytics import priorities, service as analytics
from webapp.analytics.schemas import EPS_RANGE, MIN_POINTS_RANGE, HotspotQuery
from webapp.core.fields import load
from webapp.errors import Forbidden, ValidationFailed
from webapp.reports.service import all_categories

bp = Blueprint("analytics", __name__, url_prefix="/analytics")

PAGE_ITEMS = 25


@bp.get("/")
@login_required
def index():
    places = analytics.analysable(current_user)
    if not places:
        raise Forbidden()
    chosen = request.args.get("municipality")
    if len(places) == 1 or chosen in {m.code for m in places}:
        return redirect(url_for("analytics.municipality", code=chosen or places[0].code))
    return render_template("analytics/index.html", places=places)


@bp.get("/<code>")
@login_required
def municipality(code: str):
    place = analytics.open_for(current_user, code)
    errors = {}
    try:
        query = load(HotspotQuery(), request.args.to_dict())
    except ValidationFailed as err:
        # Bad parameters are shown next to their fields; the page falls back to the defaults.
        errors, query = err.fields, {"eps": None, "min_points": None}
    ranked = priorities.priorities(place, query["eps"], query["min_points"], limit=PAGE_ITEMS)
    return render_template(
        "analytics/municipality.html",
        place=place,
        places=analytics.analysable(current_user),
        summary=analytics.summary(place, ranked["now"]),
        ranked=ranked,
        categories={c.id: c for c in all_categories()},
        form=request.args if errors else {},
        errors=errors,
        eps_range=EPS_RANGE,
        min_points_range=MIN_POINTS_RANGE,
        tile_url=current_app.config["TILE_URL"],
        tile_attribution=current_app.config["TILE_ATTRIBUTION"],
    ), 422 if errors else 200
