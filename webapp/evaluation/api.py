"""Evaluation endpoints: a call's rubric (stages, criteria and how scores combine), read and replaced by admins;
its panel of evaluators (admins), evaluators' ties to municipalities and their recusals."""
from flask import Blueprint, jsonify, request
from flask_login import current_user

from webapp.core.fields import load
from webapp.core.ratelimit import write_limit
from webapp.core.web import current_viewer
from webapp.evaluation import panel as panels, service as evaluation
from webapp.evaluation.schemas import (
    AssignIn,
    AssignmentOut,
    PanelOut,
    RecusalIn,
    RecusalOut,
    RubricIn,
    RubricOut,
    TieIn,
    TieOut,
)

bp = Blueprint("evaluation_api", __name__, url_prefix="/api/v1")


@bp.get("/calls/<int:call_id>/rubric")
def show_rubric(call_id: int):
    return jsonify(RubricOut(current_viewer()).dump(evaluation.get_rubric(current_user, call_id)))


@bp.put("/calls/<int:call_id>/rubric")
@write_limit
def replace_rubric(call_id: int):
    data = load(RubricIn(), request.get_json(silent=True))
    return jsonify(RubricOut(current_viewer()).dump(evaluation.replace_rubric(current_user, call_id, data)))


@bp.get("/calls/<int:call_id>/evaluators")
def list_evaluators(call_id: int):
    return jsonify(PanelOut(current_viewer()).dump(panels.panel(current_user, call_id)))


@bp.post("/calls/<int:call_id>/evaluators")
@write_limit
def assign_evaluator(call_id: int):
    data = load(AssignIn(), request.get_json(silent=True))
    return jsonify(AssignmentOut(current_viewer()).dump(panels.assign(current_user, call_id, data))), 201


@bp.delete("/calls/<int:call_id>/evaluators/<int:user_id>")
@write_limit
def unassign_evaluator(call_id: int, user_id: int):
    panels.unassign(current_user, call_id, user_id)
    return "", 204


@bp.get("/me/ties")
def list_ties():
    return jsonify(TieOut(current_viewer(), many=True).dump(panels.my_ties(current_user)))


@bp.post("/me/ties")
@write_limit
def declare_tie():
    data = load(TieIn(), request.get_json(silent=True))
    return jsonify(TieOut(current_viewer()).dump(panels.declare_tie(current_user, data))), 201


@bp.delete("/me/ties/<int:tie_id>")
@write_limit
def withdraw_tie(tie_id: int):
    panels.withdraw_tie(current_user, tie_id)
    return "", 204


@bp.post("/calls/<int:call_id>/plans/<int:plan_id>/recusal")
@write_limit
def recuse(call_id: int, plan_id: int):
    data = load(RecusalIn(), request.get_json(silent=True))
    return jsonify(RecusalOut(current_viewer()).dump(panels.recuse(current_user, call_id, plan_id, data))), 201
