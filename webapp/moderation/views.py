"""Moderation pages. Routes stay thin: schema, service, redirect."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.core.fields import load
from webapp.core.ratelimit import write_limit
from webapp.core.web import flash_errors
from webapp.errors import AppError
from webapp.moderation import service as moderation
from webapp.moderation.links import KIND_RULE as KINDS, item_url
from webapp.moderation.schemas import FlagFormIn, HideIn, UnhideIn

bp = Blueprint("moderation", __name__, url_prefix="/moderation")


def _refusal(err: AppError) -> None:
    # Not allowed or not there: the error page; anything else is a message on the page the form came from.
    if err.status in (401, 403, 404):
        raise err
    flash_errors(err)


@bp.get("/")
@login_required
def queue():
    entries = moderation.queue(current_user)
    return render_template(
        "moderation/queue.html",
        entries=entries,
        hidden=moderation.hidden_items(current_user),
        url_of=item_url,
    )


@bp.post(f"/{KINDS}/<int:target_id>/flag")
@login_required
@write_limit
def flag(kind: str, target_id: int):
    found = moderation.target(kind, target_id)
    try:
        data = load(FlagFormIn(), request.form.to_dict())
        _flag, created = moderation.flag(current_user, kind, target_id, data["reason"], data["note"])
    except AppError as err:
        _refusal(err)
    else:
        if created:
            flash(_("Thank you. Staff of the municipality will review it."), "success")
        else:
            flash(_("You have already flagged this; staff will review it."), "info")
    return redirect(item_url(found))


def _back(found):
    # The forms on an item's own page come back to it; those of the queue go back to the queue.
    if request.form.get("back") == "item":
        return redirect(item_url(found))
    return redirect(url_for("moderation.queue"))


def _decide(kind: str, target_id: int, decide, done: str):
    """Run a staff decision on the item; refusals are flashed, except for who may not decide at all."""
    found = moderation.target(kind, target_id)
    # Someone who may not decide learns nothing about what a valid request looks like.
    moderation.require_moderator(current_user, found)
    try:
        decide()
    except AppError as err:
        _refusal(err)
    else:
        flash(done, "success")
    return _back(found)


@bp.post(f"/{KINDS}/<int:target_id>/hide")
@login_required
@write_limit
def hide(kind: str, target_id: int):
    return _decide(kind, target_id, lambda: moderation.hide(
        current_user, kind, target_id, load(HideIn(), request.form.to_dict())["reason"]), _("Hidden from the public."))


@bp.post(f"/{KINDS}/<int:target_id>/unhide")
@login_required
@write_limit
def unhide(kind: str, target_id: int):
    return _decide(kind, target_id, lambda: moderation.unhide(
        current_user, kind, target_id, load(UnhideIn(), request.form.to_dict())["reason"]),
        _("Shown to the public again."))


@bp.post(f"/{KINDS}/<int:target_id>/dismiss")
@login_required
@write_limit
def dismiss(kind: str, target_id: int):
    return _decide(kind, target_id, lambda: moderation.dismiss(current_user, kind, target_id),
                   _("Kept as it is; the flags are closed."))
