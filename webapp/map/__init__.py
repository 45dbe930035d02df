"""The public map of reported problems."""
from flask import Blueprint

bp = Blueprint("map", __name__)

from webapp.map import routes  # noqa: E402,F401
