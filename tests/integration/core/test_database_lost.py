"""A database that cannot be reached answers 503 with Retry-After, and the app recovers once it is back."""
import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from tests.fixtures.database import (
    POSTGIS_ADMIN_URL,
    drop_postgis_database,
    fresh_postgis_database,
    make_app,
    postgis_test_db_name,
)
from webapp.auth import service as users
from webapp.extensions import db

PASSWORD = "violet-harbour-9173"
MESSAGE = "The service is briefly unavailable. Please try again in a moment."


class SqliteFile:
    """The app's database file in a folder that is renamed away: the file can no longer be opened."""

    def __init__(self, tmp_path):
        self.folder = tmp_path / "data"
        self.folder.mkdir()
        self.url = f"sqlite:///{self.folder / 'app.db'}"

    def lose(self, app):
        with app.app_context():
            db.engine.dispose()  # pooled connections would keep the open file working
        # Renaming the folder (not the file): in an existing folder SQLite would create a new empty file.
        self.folder.rename(self.folder.with_name("data-away"))

    def restore(self, app):
        self.folder.with_name("data-away").rename(self.folder)

    def close(self):
        pass


class PostgisDatabase:
    """A database of its own on the PostgreSQL server, closed to connections and its sessions ended."""

    def __init__(self, tmp_path):
        self.name = f"{postgis_test_db_name()}_lost"
        self.url = fresh_postgis_database(self.name)
        self.admin = create_engine(POSTGIS_ADMIN_URL, isolation_level="AUTOCOMMIT")

    def lose(self, app):
        with self.admin.connect() as conn:
            conn.execute(text(f"ALTER DATABASE {self.name} ALLOW_CONNECTIONS false"))
            ended = conn.execute(text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = :name"
            ), {"name": self.name}).scalar()
        assert ended >= 1  # the app's pooled connections really were cut

    def restore(self, app):
        with self.admin.connect() as conn:
            conn.execute(text(f"ALTER DATABASE {self.name} ALLOW_CONNECTIONS true"))

    def close(self):
        self.admin.dispose()
        drop_postgis_database(self.name)


@pytest.fixture
def lost_db(db_kind, tmp_path):
    """An app on a database of its own (migrated, one resident) and the means to lose and restore it."""
    database = SqliteFile(tmp_path) if db_kind == "sqlite" else PostgisDatabase(tmp_path)
    app = make_app(database.url, tmp_path)
    with app.app_context():
        upgrade()
        users.register("lost@example.org", "길 잃은 주민", PASSWORD)
    try:
        yield app, database
    finally:
        with app.app_context():
            db.engine.dispose()
        database.close()


def _unavailable(response):
    assert response.status_code == 503, response.get_data(as_text=True)[:500]
    assert int(response.headers["Retry-After"]) > 0


def _answers(client, visitor):
    """The API route, the map page and, for the signed-in user, a page that needs them loaded."""
    # English: the message is a new string, compared as written in the source.
    return [client.get("/api/v1/categories?lang=en"), client.get("/?lang=en"), visitor.get("/?lang=en"),
            client.get("/reports/new")]


def test_lost_database_answers_503_with_retry_after_then_recovers(lost_db, sign_in):
    app, database = lost_db
    client, visitor = app.test_client(), app.test_client()
    with app.app_context():
        sign_in(client, users.find_by_email("lost@example.org"), PASSWORD)
    assert [r.status_code for r in _answers(client, visitor)] == [200, 200, 200, 200]

    database.lose(app)
    api, page, visitor_page, form = _answers(client, visitor)
    for response in (api, page, visitor_page, form):
        _unavailable(response)
    assert api.get_json() == {"error": {"code": "database_unavailable", "message": MESSAGE}}
    for response in (page, visitor_page):
        assert response.mimetype == "text/html" and MESSAGE in response.get_data(as_text=True)

    database.restore(app)  # no restart: the pool connects again by itself
    assert [r.status_code for r in _answers(client, visitor)] == [200, 200, 200, 200]
    assert client.get("/reports/new").status_code == 200  # still signed in


def test_a_missing_table_is_a_500_not_a_503(lost_db):
    app, _ = lost_db
    with app.app_context(), db.engine.begin() as conn:
        # A bug in our schema or SQL is no reason to ask the client to retry (SQLite raises OperationalError here).
        conn.execute(text("ALTER TABLE categories RENAME TO categories_gone"))
    response = app.test_client().get("/api/v1/categories")
    assert response.status_code == 500 and "Retry-After" not in response.headers
    assert response.get_json()["error"]["code"] == "internal_error"
