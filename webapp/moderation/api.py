"""Moderation endpoints: residents flag items; staff read the queue, hide, show again or keep."""
from flask import Blueprint, jsonify, request
from flask_login import current_user

from webapp.core.fields import load
from webapp.core.ratelimit import write_limit
from webapp.core.web import current_viewer
from webapp.moderation import service as moderation
from webapp.moderation.links import KIND_RULE as KINDS, item_url
from webapp.moderation.schemas import EntryOut, FlagIn, FlagOut, HideIn, Linked, TargetOut, UnhideIn

bp = Blueprint("moderation_api", __name__, url_prefix="/api/v1")


@bp.post("/flags")
@write_limit
def create_flag():
    data = load(FlagIn(), request.get_json(silent=True))
    flag, created = moderation.flag(current_user, data["kind"], data["id"], data["reason"], data["note"])
    return jsonify(FlagOut(current_viewer(), created=created).dump(flag)), 201 if created else 200


@bp.get("/moderation")
def moderation_queue():
    viewer = current_viewer()
    entries = moderation.queue(current_user)
    hidden = moderation.hidden_items(current_user)
    return jsonify(
        items=EntryOut(viewer).dump([Linked(e, item_url(e.target)) for e in entries], many=True),
        hidden=TargetOut(viewer).dump([Linked(t, item_url(t)) for t in hidden], many=True),
    )


def _body(schema) -> dict:
    # An empty body is fine where nothing is required (unhide, dismiss).
    return load(schema, request.get_json(silent=True) or {})


def _target(found):
    return jsonify(TargetOut(current_viewer()).dump(Linked(found, item_url(found))))


@bp.post(f"/moderation/{KINDS}/<int:target_id>/hide")
@write_limit
def hide_item(kind: str, target_id: int):
    found = moderation.target(kind, target_id)
    moderation.require_moderator(current_user, found)
    return _target(moderation.hide(current_user, kind, target_id, _body(HideIn())["reason"]))


@bp.post(f"/moderation/{KINDS}/<int:target_id>/unhide")
@write_limit
def unhide_item(kind: str, target_id: int):
    return _target(moderation.unhide(current_user, kind, target_id, _body(UnhideIn())["reason"]))


@bp.post(f"/moderation/{KINDS}/<int:target_id>/dismiss")
@write_limit
def dismiss_flags(kind: str, target_id: int):
    return _target(moderation.dismiss(current_user, kind, target_id))
