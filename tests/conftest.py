"""Test setup: one --db option picks SpatiaLite or PostGIS; every test starts from empty tables."""
import contextvars
import os
import re
import sys
import threading
from pathlib import Path

# `pytest` run as a script puts tests/ on sys.path, not the project root; the app lives there.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pytest  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from shapely.geometry import MultiPolygon, box  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from webapp import create_app  # noqa: E402
from webapp.extensions import db  # noqa: E402

POSTGIS_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
# The password of every fixture user.
PASSWORD = "kangaroo-lantern-42"


def pytest_addoption(parser):
    parser.addoption("--db", choices=("sqlite", "postgis"), default="sqlite", help="database to test on")


@pytest.fixture(scope="session")
def db_kind(request) -> str:
    return request.config.getoption("--db")


def postgis_test_db_name() -> str:
    """The PostGIS test database: one per test process, so parallel runs never share one."""
    name = os.environ.get("POSTGIS_TEST_DB") or f"smartcity_test_{os.getpid()}"
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise ValueError(f"POSTGIS_TEST_DB must be a plain lower-case identifier, not {name!r}")
    return name


def fresh_postgis_database(name: str) -> str:
    """(Re)create database `name`, bare as in production (the first migration enables PostGIS); returns its URL."""
    admin = create_engine(POSTGIS_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return POSTGIS_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def drop_postgis_database(name: str) -> None:
    """Drop database `name` if it exists."""
    admin = create_engine(POSTGIS_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


class CsrfClient(FlaskClient):
    """A test client that sends the CSRF token with every write, as our pages and scripts do."""

    token = None

    def open(self, *args, **kwargs):
        # Each request runs in a fresh context (its own app context, `g` and database session),
        # as it does in production, even while the test itself holds an app context (`ctx`).
        # Otherwise `g` leaks between requests: the signed-in user and the CSRF token of one
        # client would be seen by the next request of another client.
        return contextvars.Context().run(self._open_with_token, *args, **kwargs)

    def _open_with_token(self, *args, **kwargs):
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
    """A fresh test database; PostGIS fails (never skips) when PostgreSQL is unreachable."""
    if db_kind == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    name = postgis_test_db_name()
    yield fresh_postgis_database(name)
    drop_postgis_database(name)


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


def grant(user, role, municipality=None):
    """Give an existing account one more role, the way `flask users create` does."""
    from webapp.services import users

    return users.create_account(user.email, user.display_name, PASSWORD, roles=[role], municipality=municipality)


def _user(email, name, role=None, municipality=None):
    from webapp.services import users

    user = users.register(email, name, PASSWORD)
    if role:
        grant(user, role, municipality)
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


def login(client, user, password=PASSWORD):
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


@pytest.fixture
def sign_in():
    """The `login` helper as a fixture, for test modules that should not import conftest."""
    return login


def new_report(author, lon=127.05, lat=37.05, category="traffic", title="가로등이 꺼져 있어요",
               description="밤에 골목이 어둡습니다.", status=None, uploads=(), **extra):
    """File a report through the service; `status` then moves it there directly (test set-up only)."""
    from webapp.services import reports

    data = {"lon": lon, "lat": lat, "category": category, "title": title,
            "description": description, **extra}
    report = reports.create(author, data, list(uploads))
    if status:
        report.status = status
        db.session.commit()
    return report


@pytest.fixture
def add_report(places):
    """A factory filing reports (see `new_report`) in the test's app context."""
    return new_report


def image_bytes(fmt="JPEG", size=(32, 24), color=(200, 40, 40), **save_args) -> bytes:
    """A small image encoded in memory with Pillow."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt, **save_args)
    return buffer.getvalue()


@pytest.fixture
def photo_dir(app, tmp_path, monkeypatch):
    """A PHOTO_DIR of the test's own, so files can be counted."""
    folder = tmp_path / "photos"
    monkeypatch.setitem(app.config, "PHOTO_DIR", str(folder))
    return folder


@pytest.fixture
def jpeg_bytes():
    """A factory of small JPEG images (see `image_bytes`)."""
    return lambda **kw: image_bytes("JPEG", **kw)
