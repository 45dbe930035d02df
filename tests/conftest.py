"""Test setup: one --db option picks SpatiaLite or PostGIS; every test starts from empty tables."""
import re
import threading

import pytest
from flask.testing import FlaskClient
from shapely.geometry import MultiPolygon, box
from sqlalchemy import create_engine, text
from werkzeug.serving import make_server

from webapp import create_app
from webapp.extensions import db

POSTGIS_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
POSTGIS_TEST_DB = "smartcity_test"


def pytest_addoption(parser):
    parser.addoption("--db", choices=("sqlite", "postgis"), default="sqlite", help="database to test on")


@pytest.fixture(scope="session")
def db_kind(request) -> str:
    return request.config.getoption("--db")


def _postgis_url() -> str:
    """Create a fresh PostGIS test database; fail (never skip) when PostgreSQL is unreachable."""
    admin = create_engine(POSTGIS_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {POSTGIS_TEST_DB} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {POSTGIS_TEST_DB}"))
    admin.dispose()
    url = POSTGIS_ADMIN_URL.rsplit("/", 1)[0] + f"/{POSTGIS_TEST_DB}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
    engine.dispose()
    return url


class CsrfClient(FlaskClient):
    """A test client that sends the CSRF token with every write, as our pages and scripts do."""

    token = None

    def open(self, *args, **kwargs):
        method = (kwargs.get("method") or "GET").upper()
        if method not in ("GET", "HEAD", "OPTIONS") and kwargs.pop("csrf", True):
            if self.token is None:
                page = super().open("/auth/login").get_data(as_text=True)
                self.token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
            headers = dict(kwargs.pop("headers", None) or {})
            headers.setdefault("X-CSRFToken", self.token)
            kwargs["headers"] = headers
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def database_url(db_kind, tmp_path_factory) -> str:
    if db_kind == "postgis":
        return _postgis_url()
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def make_app(database_url, tmp_path, **overrides):
    """An app on the test database with test-friendly settings."""
    settings = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret",
        "PHOTO_DIR": str(tmp_path / "photos"),
        "RATELIMIT_ENABLED": False,
        "TILE_URL": "",
    }
    settings.update(overrides)
    app = create_app(settings)
    app.test_client_class = CsrfClient
    return app


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    from flask_migrate import upgrade

    app = make_app(database_url, tmp_path_factory.mktemp("files"))
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


def _empty_tables():
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))


@pytest.fixture(autouse=True)
def _isolated(request):
    """Every test that uses the database starts and ends with empty tables."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        _empty_tables()
    yield
    with app.app_context():
        db.session.remove()
        _empty_tables()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


# Two neighbouring square "municipalities" around a Korean city centre; our own shapes.
EAST = MultiPolygon([box(127.00, 37.00, 127.10, 37.10)])
WEST = MultiPolygon([box(126.90, 37.00, 127.00, 37.10)])


@pytest.fixture
def places(ctx):
    """Two municipalities sharing an edge, plus the standard categories."""
    from geoalchemy2.shape import from_shape

    from webapp.models import Municipality
    from webapp.services.reference import ensure_categories

    east = Municipality(code="90001", name="동시", name_en="East City", province="시험도",
                        geom=from_shape(EAST, srid=4326))
    west = Municipality(code="90002", name="서시", name_en="West City", province="시험도",
                        geom=from_shape(WEST, srid=4326))
    db.session.add_all([east, west])
    db.session.commit()
    ensure_categories()
    return {"east": east, "west": west}


def _user(email, name, role=None, municipality=None):
    from webapp.services import users

    user = users.register(email, name, "password123")
    if role:
        users.grant(user, role, municipality)
    return user


@pytest.fixture
def resident(places):
    return _user("resident@example.org", "주민")


@pytest.fixture
def neighbour(places):
    return _user("neighbour@example.org", "이웃")


@pytest.fixture
def planner(places):
    return _user("planner@example.org", "담당자", "planner", places["east"])


@pytest.fixture
def west_planner(places):
    return _user("west@example.org", "서시 담당자", "planner", places["west"])


@pytest.fixture
def admin(places):
    return _user("admin@example.org", "관리자", "admin")


def login(client, user, password="password123"):
    """Sign the test client in as `user`."""
    response = client.post("/auth/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture(scope="session")
def live_server(app):
    """The app served over real HTTP on a free local port, in a background thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
