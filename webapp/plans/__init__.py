"""Municipal plans: the editor (planners), consultation (consultants), public pages, versions and documents."""
from flask import Blueprint

bp = Blueprint("plans", __name__, url_prefix="/plans")

from webapp.plans import consultation, editor, public  # noqa: E402,F401
