"""Residents' proposals: pages to propose, vote, comment and answer."""
from flask import Blueprint

bp = Blueprint("proposals", __name__, url_prefix="/proposals")

from webapp.proposals import routes  # noqa: E402,F401
