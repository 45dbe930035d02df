"""Report endpoints: GeoJSON search, detail, creation, votes and nearby duplicates."""
from flask import Blueprint, current_app, jsonify, request
from flask_login import current_user

from webapp.core.fields import REQUIRED, load
from webapp.core.i18n import current_language
from webapp.core.ratelimit import write_limit
from webapp.errors import ValidationFailed
from webapp.moderation.schemas import public_report
from webapp.permissions import can
from webapp.reports import service as reports, votes
from webapp.reports.schemas import NearbyQuery, ReportFeatures, ReportIn, ReportQuery

bp = Blueprint("reports_api", __name__, url_prefix="/api/v1")


def _body() -> dict:
    if request.mimetype == "multipart/form-data":
        data = request.form.to_dict()
        if "anonymous" in data:
            data["anonymous"] = data["anonymous"] in ("1", "true", "on", "yes")
        return data
    return request.get_json(silent=True)


@bp.get("/reports")
def list_reports():
    query = load(ReportQuery(), request.args.to_dict())
    rows = reports.search(query)
    write = ReportFeatures()
    return jsonify(
        type="FeatureCollection",
        features=[write(report, votes) for report, votes in rows],
        limit=query["limit"],
        truncated=len(rows) == query["limit"],
    )


@bp.post("/reports")
@write_limit
def create_report():
    data = load(ReportIn(), _body())
    uploads = [f.read() for f in request.files.getlist("photos") if f.filename]
    filed = reports.file_once(current_user, data, uploads)
    # The same submission_token again: 200 with the report it filed, not a second report.
    count = 0 if filed.created else reports.votes_of(filed.report)
    return jsonify(ReportFeatures()(filed.report, count, detail=True)), 201 if filed.created else 200


@bp.get("/reports/<int:report_id>")
def show_report(report_id: int):
    report = reports.get(report_id)
    feature = ReportFeatures()(
        report, reports.votes_of(report), reports.has_voted(current_user, report), detail=True
    )
    # Hidden by moderation: the public gets the reason, not the text.
    return jsonify(public_report(feature, report, can(current_user, "content.moderate", report)))


@bp.get("/reports/nearby")
def nearby():
    query = load(NearbyQuery(), request.args.to_dict())
    radius = current_app.config["NEARBY_RADIUS_M"]
    rows = reports.nearby_open(query["lon"], query["lat"], query["category"], radius)
    features, write = [], ReportFeatures()
    for report, count, distance in rows:
        feature = write(report, count, reports.has_voted(current_user, report))
        feature["properties"]["distance_m"] = round(distance, 1)
        features.append(feature)
    return jsonify(type="FeatureCollection", features=features, radius_m=radius)


@bp.post("/reports/<int:report_id>/vote")
@write_limit
def vote(report_id: int):
    return jsonify(votes=votes.vote(current_user, report_id), voted=True)


@bp.delete("/reports/<int:report_id>/vote")
@write_limit
def unvote(report_id: int):
    return jsonify(votes=votes.unvote(current_user, report_id), voted=False)


@bp.post("/photo-location")
@write_limit
def photo_location():
    """Read the GPS position recorded in an uploaded photo; nothing is stored."""
    from webapp.reports.photos import gps_position

    upload = request.files.get("photo")
    if upload is None:
        raise ValidationFailed(fields={"photo": [REQUIRED]})
    try:
        position = gps_position(upload.read())
    except ValidationFailed as err:
        # The checks speak of "photos" (the report form's field); here the field is "photo".
        raise ValidationFailed(err.message, fields={"photo": err.fields.get("photos", [])}) from err
    if position is None:
        return jsonify(found=False)
    return jsonify(found=True, lat=position[0], lon=position[1])


@bp.get("/categories")
def list_categories():
    lang = current_language()
    return jsonify(
        categories=[
            {"code": c.code, "name": c.display_name(lang), "domain": c.domain, "color": c.color}
            for c in reports.all_categories()
        ]
    )
