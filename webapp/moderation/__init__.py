"""Moderation pages: residents flag what others wrote; staff review the queue, hide, show again or keep."""
from flask import Blueprint

bp = Blueprint("moderation", __name__, url_prefix="/moderation")

from webapp.moderation import views  # noqa: E402,F401
