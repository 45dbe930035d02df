"""Calls for plans: the administrator opens them with their limits; planners see the open ones."""
from flask import Blueprint

bp = Blueprint("calls", __name__, url_prefix="/calls")

from webapp.calls import routes  # noqa: E402,F401
