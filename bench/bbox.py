"""Benchmark: the map's bounding-box request against the same query run directly in the database.

Run: `.venv/bin/python -m bench.bbox [--db sqlite|postgis] [--reports 50000] [--repeat 30]`.
Prints the median time of `GET /api/v1/reports?bbox=...` (routing, validation, ORM, GeoJSON)
and of the equivalent SQL on a raw connection, and their ratio.
"""
import argparse
import random
import statistics
import tempfile
import time

from sqlalchemy import create_engine, insert, text

from webapp import create_app
from webapp.extensions import db

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_BENCH = "postgresql+psycopg://postgres@127.0.0.1:5432/smartcity_bench"
# A square "municipality" of about 90 x 110 km; reports spread uniformly inside it.
AREA = (127.0, 37.0, 128.0, 38.0)
VIEW = (127.40, 37.40, 127.50, 37.50)  # a city view, about 9 x 11 km


def database_url(kind: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS smartcity_bench WITH (FORCE)"))
        conn.execute(text("CREATE DATABASE smartcity_bench"))
    admin.dispose()
    with create_engine(PG_BENCH, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text("CREATE EXTENSION postgis"))
    return PG_BENCH


def seed(count: int) -> None:
    from geoalchemy2.shape import from_shape
    from shapely.geometry import MultiPolygon, Point, box

    from webapp.models import Category, Municipality, Report, User
    from webapp.services.reference import ensure_categories

    ensure_categories()
    place = Municipality(code="99999", name="벤치시", name_en="Bench City", province="",
                         geom=from_shape(MultiPolygon([box(*AREA)]), srid=4326))
    user = User(email="bench@example.org", display_name="bench", password_hash="x")
    db.session.add_all([place, user])
    db.session.commit()
    category_ids = [c.id for c in db.session.query(Category)]
    rng = random.Random(42)
    rows = [
        {
            "municipality_id": place.id, "category_id": rng.choice(category_ids), "author_id": user.id,
            "title": f"report {i}", "description": "benchmark", "status": "submitted", "anonymous": False,
            "geom": from_shape(Point(rng.uniform(AREA[0], AREA[2]), rng.uniform(AREA[1], AREA[3])), srid=4326),
        }
        for i in range(count)
    ]
    for start in range(0, count, 5000):
        db.session.execute(insert(Report), rows[start:start + 5000])
    db.session.commit()


def direct_sql(conn, dialect: str):
    """The same rows as the API: reports in the box with their vote counts, newest first, 500 at most."""
    if dialect == "sqlite":
        frame = "BuildMbr(:a, :b, :c, :d, 4326)"
        where = ("r.id IN (SELECT ROWID FROM SpatialIndex WHERE f_table_name = 'reports' "
                 f"AND f_geometry_column = 'geom' AND search_frame = {frame})")
    else:
        frame = "ST_MakeEnvelope(:a, :b, :c, :d, 4326)"
        where = f"r.geom && {frame}"
    where += f" AND ST_Intersects(r.geom, {frame})"
    sql = text(
        "SELECT r.id, r.title, r.status, ST_X(r.geom), ST_Y(r.geom), c.code, m.code, "
        "(SELECT count(*) FROM votes v WHERE v.report_id = r.id) "
        "FROM reports r JOIN categories c ON c.id = r.category_id "
        f"JOIN municipalities m ON m.id = r.municipality_id WHERE {where} "
        "ORDER BY r.created_at DESC, r.id DESC LIMIT 500"
    )
    a, b, c, d = VIEW
    return conn.execute(sql, {"a": a, "b": b, "c": c, "d": d}).fetchall()


def median_ms(fn, repeat: int) -> float:
    fn()  # warm caches
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgis"), default="sqlite")
    parser.add_argument("--reports", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url(args.db), "RATELIMIT_ENABLED": False})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        seed(args.reports)
        client = app.test_client()
        url = "/api/v1/reports?bbox=" + ",".join(map(str, VIEW)) + "&limit=500"
        api_rows = len(client.get(url).get_json()["features"])
        with db.engine.connect() as conn:
            sql_rows = len(direct_sql(conn, db.engine.dialect.name))
            sql_ms = median_ms(lambda: direct_sql(conn, db.engine.dialect.name), args.repeat)
        api_ms = median_ms(lambda: client.get(url), args.repeat)
        db.engine.dispose()
    assert api_rows == sql_rows, (api_rows, sql_rows)
    print(f"database: {args.db}; reports: {args.reports}; rows in view: {api_rows}; repeats: {args.repeat}")
    print(f"direct SQL      median {sql_ms:8.2f} ms")
    print(f"GET bbox (API)  median {api_ms:8.2f} ms")
    print(f"ratio API / SQL        {api_ms / sql_ms:8.2f}")


if __name__ == "__main__":
    main()
