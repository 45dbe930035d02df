"""Evaluation endpoints: a call's rubric (stages, criteria and how scores combine), read and replaced by admins."""
from flask import Blueprint, jsonify, request
from flask_login import current_user

from webapp.core.fields import load
from webapp.core.ratelimit import write_limit
from webapp.core.web import current_viewer
from webapp.evaluation import service as evaluation
from webapp.evaluation.schemas import RubricIn, RubricOut

bp = Blueprint("evaluation_api", __name__, url_prefix="/api/v1")


@bp.get("/calls/<int:call_id>/rubric")
def show_rubric(call_id: int):
    return jsonify(RubricOut(current_viewer()).dump(evaluation.get_rubric(current_user, call_id)))


@bp.put("/calls/<int:call_id>/rubric")
@write_limit
def replace_rubric(call_id: int):
    data = load(RubricIn(), request.get_json(silent=True))
    return jsonify(RubricOut(current_viewer()).dump(evaluation.replace_rubric(current_user, call_id, data)))
