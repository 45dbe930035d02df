"""Flask-Login wiring: loading the signed-in user from the session or remember cookie."""
import hmac

from flask_babel import lazy_gettext as _l

from webapp.core.fields import as_id
from webapp.extensions import db, login_manager


def init_login(app) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in first.")
    # One HTTPS switch for both cookies.
    app.config["REMEMBER_COOKIE_SECURE"] = bool(app.config.get("SESSION_COOKIE_SECURE"))

    @login_manager.user_loader
    def _load(identity: str):
        return load_user(identity)


def load_user(identity: str):
    """The user named by a cookie's "id:token", or None once that token was replaced."""
    from webapp.models import User

    user_id, _, token = (identity or "").partition(":")
    user_id = as_id(user_id)
    if user_id is None or not token:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.session_token:
        return None
    if not hmac.compare_digest(user.session_token.encode(), token.encode()):
        return None
    return user
