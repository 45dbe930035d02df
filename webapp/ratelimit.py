"""Rate limits on writes, per signed-in user or else per address."""
from flask import current_app, request
from flask_login import current_user

from webapp.extensions import limiter


def _who() -> str:
    if current_user and current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"addr:{request.remote_addr}"


def _limit() -> str:
    return current_app.config["WRITE_RATE_LIMIT"]


write_limit = limiter.limit(_limit, key_func=_who, methods=["POST", "PUT", "PATCH", "DELETE"])
