"""Application factory: one register_* step per concern."""
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
    from webapp.i18n import init_i18n
    from webapp.request_guard import init_request_guard
    from webapp.security import init_security
    from webapp.templating import init_templating

    init_request_guard(app)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    init_login(app)
    init_i18n(app)
    init_templating(app)
    init_security(app)


def register_blueprints(app: Flask) -> None:
    from webapp.analytics import bp as analytics_bp
    from webapp.api import bp as api_bp
    from webapp.auth import bp as auth_bp
    from webapp.calls import bp as calls_bp
    from webapp.catalog import bp as catalog_bp
    from webapp.map import bp as map_bp
    from webapp.moderation import bp as moderation_bp
    from webapp.plans import bp as plans_bp
    from webapp.proposals import bp as proposals_bp
    from webapp.reports import bp as reports_bp

    for blueprint in (map_bp, reports_bp, proposals_bp, catalog_bp, analytics_bp, calls_bp, plans_bp, auth_bp,
                      api_bp, moderation_bp):
        app.register_blueprint(blueprint)


def register_errors(app: Flask) -> None:
    from webapp.errors import init_errors

    init_errors(app)


def register_commands(app: Flask) -> None:
    from webapp.cli import init_commands

    init_commands(app)


def _project_path(name: str):
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / name
