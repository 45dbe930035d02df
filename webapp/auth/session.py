"""Flask-Login wiring: loading the signed-in user."""
from flask_babel import lazy_gettext as _l

from webapp.extensions import db, login_manager


def init_login(app) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in first.")

    @login_manager.user_loader
    def _load(user_id: str):
        from webapp.models import User

        return db.session.get(User, int(user_id))
