"""Problem analytics for planners: counts, hot spots, priorities."""
from flask import Blueprint

bp = Blueprint("analytics", __name__, url_prefix="/analytics")

from webapp.analytics import routes  # noqa: E402,F401
