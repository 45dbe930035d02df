"""Application factory: one register_* step per concern."""
from importlib import import_module

from flask import Flask

from geo.dialect import engine_options, prepare_engine
from webapp import config as config_module
from webapp.extensions import csrf, db, limiter, login_manager, migrate


def create_app(overrides: dict | None = None) -> Flask:
    """Create the app from the environment, with optional overrides (used by tests)."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(config_module.from_environment(app.instance_path))
    app.config.update(overrides or {})
    register_database(app)
    register_extensions(app)
    register_blueprints(app)
    register_errors(app)
    register_commands(app)
    return app


def register_database(app: Flask) -> None:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(url))
    import webapp.models  # noqa: F401  (registers the models on the metadata)

    db.init_app(app)
    with app.app_context():
        prepare_engine(db.engine, app.config["SPATIALITE_LIBRARY_PATH"])
    migrate.init_app(app, db, directory=str(_project_path("migrations")))


def register_extensions(app: Flask) -> None:
    from webapp.auth.session import init_login
    from webapp.core.i18n import init_i18n
    from webapp.core.templating import init_templating
    from webapp.request_guard import init_request_guard
    from webapp.security import init_security

    init_request_guard(app)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    init_login(app)
    init_i18n(app)
    init_templating(app)
    init_security(app)


# The areas, in the order their blueprints register; each has web pages (views), an /api/v1 part (api), or both.
AREAS = {
    "map": ("views",), "reports": ("views", "api"), "proposals": ("views", "api"), "catalog": ("views", "api"),
    "analytics": ("views", "api"), "calls": ("views", "api"), "plans": ("views", "api"), "auth": ("views",),
    "moderation": ("views", "api"), "places": ("api",), "evaluation": ("api",),
}
COMMANDS = ("places", "auth", "demo", "catalog", "reports")  # areas with a cli.py group


def register_blueprints(app: Flask) -> None:
    for area, parts in AREAS.items():
        for part in parts:
            app.register_blueprint(import_module(f"webapp.{area}.{part}").bp)


def register_errors(app: Flask) -> None:
    from webapp.errors import init_errors

    init_errors(app)


def register_commands(app: Flask) -> None:
    for area in COMMANDS:
        app.cli.add_command(import_module(f"webapp.{area}.cli").group)


def _project_path(name: str):
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / name
