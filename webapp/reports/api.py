"""Report endpoints: GeoJSON search, detail, creation, votes and nearby duplicates."""
from flask import Blueprint, current_app, jsonify, request
from flask_login import current_user

from webapp.core.fields import REQUIRED, load
from webapp.core.output import CategoryOut, VoteOut, feature_collection
from webapp.core.ratelimit import write_limit
from webapp.core.web import current_viewer
from webapp.errors import ValidationFailed
from webapp.reports import service as reports, votes
from webapp.reports.schemas import NearbyQuery, PhotoLocationOut, ReportIn, ReportOut, ReportQuery, ReportRow

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
    rows = [ReportRow(report, votes) for report, votes in reports.search(query)]
    features = ReportOut(current_viewer()).dump(rows, many=True)
    return jsonify(feature_collection(features, limit=query["limit"], truncated=len(rows) == query["limit"]))


@bp.post("/reports")
@write_limit
def create_report():
    data = load(ReportIn(), _body())
    uploads = [f.read() for f in request.files.getlist("photos") if f.filename]
    filed = reports.file_once(current_user, data, uploads)
    # The same submission_token again: 200 with the report it filed, not a second report.
    row = ReportRow(filed.report, 0 if filed.created else reports.votes_of(filed.report))
    return jsonify(ReportOut(current_viewer(), detail=True).dump(row)), 201 if filed.created else 200


@bp.get("/reports/<int:report_id>")
def show_report(report_id: int):
    report = reports.get(report_id)
    row = ReportRow(report, reports.votes_of(report), reports.has_voted(current_user, report))
    return jsonify(ReportOut(current_viewer(), detail=True).dump(row))


@bp.get("/reports/nearby")
def nearby():
    query = load(NearbyQuery(), request.args.to_dict())
    radius = current_app.config["NEARBY_RADIUS_M"]
    rows = reports.nearby_open(query["lon"], query["lat"], query["category"], radius)
    rows = [ReportRow(report, count, reports.has_voted(current_user, report), distance)
            for report, count, distance in rows]
    return jsonify(feature_collection(ReportOut(current_viewer()).dump(rows, many=True), radius_m=radius))


@bp.post("/reports/<int:report_id>/vote")
@write_limit
def vote(report_id: int):
    return jsonify(VoteOut().dump({"votes": votes.vote(current_user, report_id), "voted": True}))


@bp.delete("/reports/<int:report_id>/vote")
@write_limit
def unvote(report_id: int):
    return jsonify(VoteOut().dump({"votes": votes.unvote(current_user, report_id), "voted": False}))


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
    return jsonify(PhotoLocationOut().dump(position))


@bp.get("/categories")
def list_categories():
    return jsonify(categories=CategoryOut(current_viewer()).dump(reports.all_categories(), many=True))
