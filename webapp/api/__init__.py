"""JSON API under /api/v1."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from webapp.api import analytics, catalog, meta, plan_documents, plans, proposals, reports  # noqa: E402,F401  (routes register on bp)
from webapp.api import moderation  # noqa: E402,F401
