"""Benchmark: the hot-spot service (our DBSCAN in Python) against PostGIS's own ST_ClusterDBSCAN.

Run: `.venv/bin/python -m bench.hotspots [--reports 10000] [--repeat 5] [--eps 150] [--min-points 2]`.
Seeds one municipality with reports in a few dense neighbourhoods plus scattered noise, then times
`services.analytics.hotspots` (reading the rows and clustering them) and the same clustering done
in the database (ST_ClusterDBSCAN on EPSG:5179 metres). Prints medians, their ratio, and whether the
two found the same number of clusters.
"""
import argparse
import random

from sqlalchemy import insert, text

from bench.bbox import database_url, median_ms
from webapp import create_app
from webapp.extensions import db

AREA = (127.0, 37.0, 127.3, 37.3)

DIRECT_SQL = text(
    "SELECT count(DISTINCT cid) FROM ("
    " SELECT ST_ClusterDBSCAN(ST_Transform(geom, 5179), eps => :eps, minpoints => :minpoints) OVER () AS cid"
    " FROM reports WHERE municipality_id = :place AND status IN"
    " ('submitted', 'under_review', 'planned', 'in_progress')) clustered WHERE cid IS NOT NULL"
)


def seed(count: int) -> int:
    from geoalchemy2.shape import from_shape
    from shapely.geometry import MultiPolygon, Point, box

    from webapp.models import Category, Municipality, Report, User
    from webapp.reports.categories import ensure_categories

    ensure_categories()
    place = Municipality(code="99998", name="벤치시", name_en="Bench City", province="",
                         geom=from_shape(MultiPolygon([box(*AREA)]), srid=4326))
    user = User(email="bench@example.org", display_name="bench", password_hash="x")
    db.session.add_all([place, user])
    db.session.commit()
    category_ids = [c.id for c in db.session.query(Category)]
    rng = random.Random(7)
    centres = [(rng.uniform(AREA[0], AREA[2]), rng.uniform(AREA[1], AREA[3])) for _ in range(count // 50)]
    rows = []
    for i in range(count):
        if i % 3 == 0:  # a third scattered over the city, the rest around neighbourhood centres
            lon, lat = rng.uniform(AREA[0], AREA[2]), rng.uniform(AREA[1], AREA[3])
        else:
            cx, cy = rng.choice(centres)
            lon, lat = cx + rng.gauss(0, 0.0008), cy + rng.gauss(0, 0.0008)
        rows.append({"municipality_id": place.id, "category_id": rng.choice(category_ids), "author_id": user.id,
                     "title": f"report {i}", "description": "benchmark", "status": "submitted",
                     "anonymous": False, "geom": from_shape(Point(lon, lat), srid=4326)})
    for start in range(0, count, 5000):
        db.session.execute(insert(Report), rows[start:start + 5000])
    db.session.commit()
    return place.id


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--eps", type=float, default=150)
    parser.add_argument("--min-points", type=int, default=2)
    args = parser.parse_args()

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url("postgis"), "RATELIMIT_ENABLED": False})
    with app.app_context():
        from flask_migrate import upgrade

        from webapp.analytics import service as analytics
        from webapp.models import Municipality

        upgrade()
        place_id = seed(args.reports)
        place = db.session.get(Municipality, place_id)
        params = {"eps": args.eps, "minpoints": args.min_points, "place": place_id}
        ours = len(analytics.hotspots(place, args.eps, args.min_points)["hotspots"])
        with db.engine.connect() as conn:
            theirs = conn.execute(DIRECT_SQL, params).scalar()
            sql_ms = median_ms(lambda: conn.execute(DIRECT_SQL, params).scalar(), args.repeat)
        service_ms = median_ms(lambda: analytics.hotspots(place, args.eps, args.min_points), args.repeat)
        db.engine.dispose()
    print(f"reports: {args.reports}; eps: {args.eps} m; min points: {args.min_points}; repeats: {args.repeat}")
    print(f"clusters: service {ours}, ST_ClusterDBSCAN {theirs}")
    print(f"ST_ClusterDBSCAN (PostGIS)  median {sql_ms:9.1f} ms")
    print(f"hot-spot service            median {service_ms:9.1f} ms")
    print(f"ratio service / database           {service_ms / sql_ms:9.2f}")


if __name__ == "__main__":
    main()
