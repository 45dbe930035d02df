"""Call endpoints: the calls for plans, their limits and windows (admins open and change them)."""
from flask import Blueprint, jsonify, request
from flask_login import current_user

from webapp.calls import service as calls
from webapp.calls.schemas import CallIn, CallPatch, call_out
from webapp.core.fields import load
from webapp.core.ratelimit import write_limit
from webapp.core.time import utcnow
from webapp.permissions import can

bp = Blueprint("calls_api", __name__, url_prefix="/api/v1")


@bp.get("/calls")
def list_calls():
    now = utcnow()
    return jsonify(calls=[call_out(c, now) for c in calls.list_calls()], can_manage=can(current_user, "call.manage"))


@bp.get("/calls/<int:call_id>")
def show_call(call_id: int):
    return jsonify(call_out(calls.get(call_id)))


@bp.post("/calls")
@write_limit
def create_call():
    return jsonify(call_out(calls.create(current_user, load(CallIn(), request.get_json(silent=True))))), 201


@bp.patch("/calls/<int:call_id>")
@write_limit
def update_call(call_id: int):
    return jsonify(call_out(calls.update(current_user, call_id, load(CallPatch(), request.get_json(silent=True)))))
