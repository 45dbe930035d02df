"""Shared handling of the small forms on item pages (votes, comments): refusals become flashed messages."""
from flask import flash, request
from flask_babel import gettext as _
from flask_login import current_user

from webapp.errors import AppError, ValidationFailed
from webapp.schemas.common import load


def flash_errors(err: AppError) -> None:
    """Flash every message of the error (its field messages, else its message)."""
    messages = [str(m) for msgs in err.fields.values() for m in msgs] or [str(err.message or _("Not possible."))]
    for message in messages:
        flash(message, "error")


def toggle_vote(add, remove, item_id: int) -> None:
    """Add the signed-in user's vote, or remove it when the form says action=remove."""
    try:
        (remove if request.form.get("action") == "remove" else add)(current_user, item_id)
    except AppError as err:
        if err.status in (401, 403, 404):
            raise
        flash_errors(err)


def post_comment(schema, add, item_id: int) -> None:
    """Validate the comment form with `schema` and add the comment; problems are flashed."""
    try:
        data = load(schema, request.form.to_dict())
        add(current_user, item_id, data["body"])
    except ValidationFailed as err:
        flash_errors(err)
