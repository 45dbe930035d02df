"""Plan pages: the editor, the consultation, the public plan, its versions, print and PDF."""
from flask import Blueprint

bp = Blueprint("plans", __name__, url_prefix="/plans")

from webapp.plans.views import consultation, editor, public  # noqa: E402,F401  (routes register on bp)
