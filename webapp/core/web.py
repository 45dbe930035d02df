"""Helpers for web routes: flashed refusals on item pages, sections other areas add to a page, the current viewer."""
from blinker import Namespace
from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.core.fields import load
from webapp.core.i18n import current_language
from webapp.core.output import Viewer
from webapp.errors import AppError, ValidationFailed
from webapp.permissions import can


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


# Sections other areas add to an area's page, without the page's area importing them: the report page shows
# the proposals and plans that answer the report. Receivers get the item and the viewing user and return
# template values.
report_page = Namespace().signal("report-page")


def page_extras(signal, item, user) -> dict:
    """The template values every receiver of `signal` contributes for `item`."""
    values = {}
    for _receiver, contributed in signal.send(item, user=user):
        values.update(contributed or {})
    return values


def current_viewer() -> Viewer:
    """The viewer of this request, for output schemas: language, permission check bound to the user, links."""
    user = current_user._get_current_object()
    return Viewer(lang=current_language(), may=lambda action, target=None: can(user, action, target), url=url_for)
