"""Migrations: down to base and up again on a fresh database, and no drift between models and migrations."""
import pytest
from geoalchemy2.shape import from_shape
from shapely.geometry import MultiPolygon, box
from sqlalchemy import inspect, text

from tests.fixtures.database import drop_postgis_database, fresh_postgis_database, make_app, postgis_test_db_name
from webapp.extensions import db

OUR_TABLES = {"municipalities", "categories", "users", "role_grants", "reports", "report_photos",
              "votes", "comments", "status_changes", "audit_events", "kpis", "solutions", "solution_kpis",
              "proposals", "proposal_reports", "proposal_votes", "proposal_comments", "calls", "plans",
              "plan_items", "plan_item_reports", "plan_item_proposals", "plan_sites", "budget_lines",
              "kpi_targets", "milestones", "plan_versions", "plan_comments", "flags", "evaluation_settings",
              "evaluation_stages", "evaluation_criteria"}


@pytest.fixture
def fresh_app(db_kind, tmp_path):
    """An app on its own empty database (never the session one), dropped afterwards."""
    if db_kind == "postgis":
        name = f"{postgis_test_db_name()}_migrations"
        url = fresh_postgis_database(name)
    else:
        url = f"sqlite:///{tmp_path / 'migrations.db'}"
    fresh = make_app(url, tmp_path)
    yield fresh
    with fresh.app_context():
        db.session.remove()
        db.engine.dispose()
    if db_kind == "postgis":
        drop_postgis_database(name)


def _flask_db(app, *args):
    result = app.test_cli_runner().invoke(args=["db", *args])
    assert result.exit_code == 0, f"flask db {' '.join(args)}: {result.output}\n{result.exception!r}"
    return result.output


def _tables(app) -> set:
    with app.app_context():
        return set(inspect(db.engine).get_table_names()) & OUR_TABLES


def _revision(app):
    with app.app_context(), db.engine.connect() as conn:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _point_lookup_works(app) -> str | None:
    """Add a municipality and find it by a point, through the spatial index."""
    from webapp.models import Municipality
    from webapp.places import service as municipalities

    with app.app_context():
        db.session.add(Municipality(code="90009", name="시험시", name_en="Test", province="",
                                    geom=from_shape(MultiPolygon([box(127, 37, 127.1, 37.1)]), srid=4326)))
        db.session.commit()
        found = municipalities.containing(127.05, 37.05)
        missing = municipalities.containing(127.5, 37.05)
        db.session.remove()
        return found.code if found and missing is None else None


def test_upgrade_downgrade_base_and_upgrade_again(fresh_app):
    _flask_db(fresh_app, "upgrade")
    assert _tables(fresh_app) == OUR_TABLES
    head = _revision(fresh_app)
    assert head
    _flask_db(fresh_app, "downgrade", "base")
    assert _tables(fresh_app) == set()
    assert _revision(fresh_app) is None
    _flask_db(fresh_app, "upgrade")
    assert _tables(fresh_app) == OUR_TABLES and _revision(fresh_app) == head
    assert _point_lookup_works(fresh_app) == "90009"


def test_models_and_migrations_do_not_differ(fresh_app):
    _flask_db(fresh_app, "upgrade")
    _flask_db(fresh_app, "check")  # exits non-zero when autogenerate finds any difference


def test_check_notices_a_schema_that_drifted(fresh_app):
    """The check above can fail: after dropping an index by hand it reports the difference."""
    _flask_db(fresh_app, "upgrade")
    with fresh_app.app_context(), db.engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_reports_status"))
    result = fresh_app.test_cli_runner().invoke(args=["db", "check"])
    assert result.exit_code != 0


def test_spatial_indexes_exist_after_upgrade(fresh_app, db_kind):
    _flask_db(fresh_app, "upgrade")
    with fresh_app.app_context(), db.engine.connect() as conn:
        if db_kind == "postgis":
            names = set(conn.execute(text("SELECT indexname FROM pg_indexes WHERE indexdef LIKE '%gist%'")).scalars())
            expected = {"idx_reports_geom", "idx_municipalities_geom", "idx_proposals_sites", "idx_plan_sites_geom"}
            assert expected <= names
        else:
            enabled = conn.execute(text(
                "SELECT f_table_name FROM geometry_columns WHERE spatial_index_enabled = 1")).scalars().all()
            assert set(enabled) == {"reports", "municipalities", "proposals", "plan_sites"}


def _spatial_ready(app, db_kind) -> bool:
    """PostGIS enabled in the database, or SpatiaLite's metadata in the file."""
    query = ("SELECT 1 FROM pg_extension WHERE extname = 'postgis'" if db_kind == "postgis"
             else "SELECT 1 FROM sqlite_master WHERE name = 'spatial_ref_sys'")
    with app.app_context(), db.engine.connect() as conn:
        return conn.execute(text(query)).first() is not None


def test_bare_database_upgrades_and_keeps_its_spatial_extension(fresh_app, db_kind):
    """A database made with only CREATE DATABASE (or a new SQLite file) upgrades; downgrade keeps PostGIS.

    On PostgreSQL the first migration enables PostGIS; on SQLite each connection loads SpatiaLite.
    """
    if db_kind == "postgis":
        assert not _spatial_ready(fresh_app, db_kind)
    _flask_db(fresh_app, "upgrade")
    assert _spatial_ready(fresh_app, db_kind)
    assert _point_lookup_works(fresh_app) == "90009"
    _flask_db(fresh_app, "downgrade", "base")
    assert _spatial_ready(fresh_app, db_kind)
