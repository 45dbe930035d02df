"""Call endpoints: the calls for plans, their limits and windows (admins open and change them)."""
from flask import Blueprint, jsonify, request
from flask_login import current_user

from webapp.calls import service as calls
from webapp.calls.schemas import CallIn, CallListOut, CallOut, CallPatch
from webapp.core.fields import load
from webapp.core.ratelimit import write_limit
from webapp.core.time import utcnow
from webapp.core.web import current_viewer

bp = Blueprint("calls_api", __name__, url_prefix="/api/v1")


@bp.get("/calls")
def list_calls():
    return jsonify(CallListOut(current_viewer(), now=utcnow()).dump(calls.list_calls()))


@bp.get("/calls/<int:call_id>")
def show_call(call_id: int):
    return jsonify(CallOut(current_viewer(), now=utcnow()).dump(calls.get(call_id)))


@bp.post("/calls")
@write_limit
def create_call():
    call = calls.create(current_user, load(CallIn(), request.get_json(silent=True)))
    return jsonify(CallOut(current_viewer(), now=utcnow()).dump(call)), 201


@bp.patch("/calls/<int:call_id>")
@write_limit
def update_call(call_id: int):
    call = calls.update(current_user, call_id, load(CallPatch(), request.get_json(silent=True)))
    return jsonify(CallOut(current_viewer(), now=utcnow()).dump(call))
