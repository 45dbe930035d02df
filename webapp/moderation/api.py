"""Moderation endpoints: residents flag items; staff read the queue, hide, show again or keep."""
from flask import Blueprint, jsonify, request
from flask_login import current_user

from webapp.core.fields import load
from webapp.core.ratelimit import write_limit
from webapp.moderation import service as moderation
from webapp.moderation.links import KIND_RULE as KINDS, item_url
from webapp.moderation.schemas import FlagIn, HideIn, UnhideIn, entry_json, flag_json, target_json

bp = Blueprint("moderation_api", __name__, url_prefix="/api/v1")


@bp.post("/flags")
@write_limit
def create_flag():
    data = load(FlagIn(), request.get_json(silent=True))
    flag, created = moderation.flag(current_user, data["kind"], data["id"], data["reason"], data["note"])
    return jsonify(flag_json(flag, created)), 201 if created else 200


@bp.get("/moderation")
def moderation_queue():
    entries = moderation.queue(current_user)
    return jsonify(
        items=[entry_json(e, item_url(e.target)) for e in entries],
        hidden=[target_json(t, item_url(t)) for t in moderation.hidden_items(current_user)],
    )


def _body(schema) -> dict:
    # An empty body is fine where nothing is required (unhide, dismiss).
    return load(schema, request.get_json(silent=True) or {})


@bp.post(f"/moderation/{KINDS}/<int:target_id>/hide")
@write_limit
def hide_item(kind: str, target_id: int):
    found = moderation.target(kind, target_id)
    moderation.require_moderator(current_user, found)
    found = moderation.hide(current_user, kind, target_id, _body(HideIn())["reason"])
    return jsonify(target_json(found, item_url(found)))


@bp.post(f"/moderation/{KINDS}/<int:target_id>/unhide")
@write_limit
def unhide_item(kind: str, target_id: int):
    found = moderation.unhide(current_user, kind, target_id, _body(UnhideIn())["reason"])
    return jsonify(target_json(found, item_url(found)))


@bp.post(f"/moderation/{KINDS}/<int:target_id>/dismiss")
@write_limit
def dismiss_flags(kind: str, target_id: int):
    found = moderation.dismiss(current_user, kind, target_id)
    return jsonify(target_json(found, item_url(found)))
