"""Report pages: new report, detail, votes, comments and triage."""
from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")

from webapp.reports import routes  # noqa: E402,F401
