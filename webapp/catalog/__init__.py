"""Smart-solution catalogue and KPI library: public pages and admin editing."""
from flask import Blueprint

bp = Blueprint("catalog", __name__, url_prefix="/catalog")

from webapp.catalog import routes  # noqa: E402,F401
