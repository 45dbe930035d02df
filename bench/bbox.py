"""Benchmark: the map's bounding-box request against the same query run directly in the database.

Run: `.venv/bin/python -m bench.bbox [--db sqlite|postgis] [--reports 50000] [--repeat 30]`.
Prints the median time of `GET /api/v1/reports?bbox=...` (routing, validation, ORM, GeoJSON)
and of the equivalent SQL on a raw connection, measured alternately, and their ratio. The reports
lie in 강릉시 with its real boundary (Statistics Korea, 2018), so anything that drags the
municipality's polygon along with each report shows in the API's time.
"""
import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, insert, text

from webapp import create_app
from webapp.extensions import db

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_BENCH = "postgresql+psycopg://postgres@127.0.0.1:5432/smartcity_bench"
# Read in place from the shared data folder next to the project, never copied into it.
BOUNDARIES = Path(__file__).resolve().parents[2] / "shared/data/kr-municipalities-2018.geojson"
CODE = "32030"  # 강릉시: about 1,040 km², a boundary of 429 points (6.9 kB as WKB)
VIEW = (128.80, 37.70, 128.90, 37.80)  # a city view inside it, about 9 x 11 km


def database_url(kind: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS smartcity_bench WITH (FORCE)"))
        conn.execute(text("CREATE DATABASE smartcity_bench"))
    admin.dispose()
    return PG_BENCH  # bare, as in production: the first migration enables PostGIS


def boundary():
    """The real multipolygon of municipality CODE, with its Korean and English names."""
    from shapely.geometry import MultiPolygon, shape

    features = json.loads(BOUNDARIES.read_text(encoding="utf-8"))["features"]
    found = next(f for f in features if f["properties"]["code"] == CODE)
    geom = shape(found["geometry"])
    if geom.geom_type == "Polygon":
        geom = MultiPolygon([geom])
    return geom, found["properties"]["name"], found["properties"]["name_eng"]


def seed(count: int) -> None:
    from geoalchemy2.shape import from_shape
    from shapely.geometry import Point
    from shapely.prepared import prep

    from webapp.models import Category, Municipality, Report, User
    from webapp.reports.categories import ensure_categories

    ensure_categories()
    area, name, name_en = boundary()
    place = Municipality(code=CODE, name=name, name_en=name_en, province="강원도",
                         geom=from_shape(area, srid=4326))
    user = User(email="bench@example.org", display_name="bench", password_hash="x")
    db.session.add_all([place, user])
    db.session.commit()
    category_ids = [c.id for c in db.session.query(Category)]
    rng = random.Random(42)
    inside, (west, south, east, north) = prep(area), area.bounds
    points = []
    while len(points) < count:  # uniform inside the boundary: draw in its box, keep what falls inside
        candidate = Point(rng.uniform(west, east), rng.uniform(south, north))
        if inside.contains(candidate):
            points.append(candidate)
    rows = [
        {
            "municipality_id": place.id, "category_id": rng.choice(category_ids), "author_id": user.id,
            "title": f"report {i}", "description": "benchmark", "status": "submitted", "anonymous": False,
            "geom": from_shape(pt, srid=4326),
        }
        for i, pt in enumerate(points)
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


def _ms(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def medians_ms(first, second, repeat: int) -> tuple[float, float]:
    """Median times of two callables run alternately, so drifts in machine load hit both alike."""
    first(), second()  # warm caches
    samples = [(_ms(first), _ms(second)) for _ in range(repeat)]
    return statistics.median(a for a, _ in samples), statistics.median(b for _, b in samples)


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
            sql_ms, api_ms = medians_ms(lambda: direct_sql(conn, db.engine.dialect.name),
                                        lambda: client.get(url), args.repeat)
        db.engine.dispose()
    assert api_rows == sql_rows, (api_rows, sql_rows)
    print(f"database: {args.db}; reports: {args.reports} in {CODE}; rows in view: {api_rows}; repeats: {args.repeat}")
    print(f"direct SQL      median {sql_ms:8.2f} ms")
    print(f"GET bbox (API)  median {api_ms:8.2f} ms")
    print(f"ratio API / SQL        {api_ms / sql_ms:8.2f}")


if __name__ == "__main__":
    main()
