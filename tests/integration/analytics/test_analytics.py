"""Problem analytics on constructed reports whose right answers are known: counts, months, hot spots, ranks."""
import math
from datetime import datetime, timezone

import pytest
from geoalchemy2.shape import to_shape
from pyproj import Geod
from shapely.geometry import Point, shape

from tests.fixtures.people import PASSWORD
from webapp.analytics import priorities, service as analytics
from webapp.auth import service as users
from webapp.extensions import db
from webapp.models import Report, StatusChange, Vote

GEOD = Geod(ellps="WGS84")
NOW = datetime(2026, 5, 15, 3, 0, tzinfo=timezone.utc)


def utc(*parts):
    return datetime(*parts, tzinfo=timezone.utc)


def near(lon, lat, east_m=0.0, north_m=0.0):
    """(lon, lat) that many metres east and north of a point."""
    if east_m:
        lon, lat, _ = GEOD.fwd(lon, lat, 90, east_m)
    if north_m:
        lon, lat, _ = GEOD.fwd(lon, lat, 0, north_m)
    return lon, lat


@pytest.fixture
def city(places, resident, add_report):
    """East City's reports: hot spot A near a school (3 open, 5 votes), hot spot B (2 open, a category tie),
    two lone reports (one old with 3 votes, one unvoted), a resolved report, and one report in West City."""
    school = (127.03, 37.03)

    def report(name, where, category, created, status=None):
        lon, lat = where
        made = add_report(resident, lon=lon, lat=lat, category=category, title=name, status=status)
        made.created_at = created
        return made

    r = {}
    r["a1"] = report("학교 앞 어두운 길", school, "safety", utc(2026, 3, 31, 15, 30))  # April in Seoul
    r["a2"] = report("학교 앞 과속", near(*school, east_m=40), "safety", utc(2026, 3, 31, 14, 59))  # March
    r["a3"] = report("학교 앞 불법주차", near(*school, north_m=40), "traffic", utc(2026, 5, 10))
    r["done"] = report("고친 가로등", near(*school, east_m=20), "safety", utc(2026, 1, 10), status="resolved")
    r["b1"] = report("하천 악취", (127.07, 37.07), "environment", utc(2026, 2, 1))
    r["b2"] = report("쓰레기 무단투기", near(127.07, 37.07, east_m=100), "waste", utc(2026, 4, 20))
    r["lone_old"] = report("버스 정류장 없음", (127.01, 37.09), "traffic", utc(2025, 5, 1))
    r["lone_new"] = report("놀이터 소음", (127.05, 37.01), "living", utc(2026, 4, 5, 3), status="under_review")
    r["west"] = report("서시 신호등", (126.95, 37.05), "traffic", utc(2026, 4, 1))
    # The resolved report was resolved in March (Seoul), reopened, and resolved again in April (Seoul).
    for moment in (utc(2026, 3, 31, 14, 0), utc(2026, 3, 31, 15, 30)):
        db.session.add(StatusChange(report_id=r["done"].id, actor_id=resident.id, from_status="in_progress",
                                    to_status="resolved", created_at=moment))
    voters = [users.register(f"v{i}@example.org", f"투표{i}", PASSWORD) for i in range(5)]
    for name, count in (("a1", 4), ("a2", 1), ("lone_old", 3), ("done", 2), ("west", 5)):
        for voter in voters[:count]:
            db.session.add(Vote(report_id=r[name].id, user_id=voter.id))
    db.session.commit()
    return {name: made.id for name, made in r.items()}


def test_summary_counts_every_category_and_status(city, places):
    data = analytics.summary(places["east"], NOW)
    assert data["total"] == 8 and data["open"] == 7
    assert [(row["code"], row["count"], row["open"]) for row in data["by_category"]] == [
        ("traffic", 2, 2), ("safety", 3, 2), ("environment", 1, 1), ("energy", 0, 0),
        ("water_disaster", 0, 0), ("waste", 1, 1), ("welfare", 0, 0), ("living", 1, 1),
    ]
    assert {row["status"]: row["count"] for row in data["by_status"]} == {
        "submitted": 6, "under_review": 1, "planned": 0, "in_progress": 0, "resolved": 1, "closed": 0}


def test_monthly_series_uses_seoul_months(city, places):
    monthly = analytics.summary(places["east"], NOW)["monthly"]
    assert [m["month"] for m in monthly] == [
        "2025-06", "2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12",
        "2026-01", "2026-02", "2026-03", "2026-04", "2026-05"]
    series = {m["month"]: (m["new"], m["resolved"]) for m in monthly if m["new"] or m["resolved"]}
    # 2026-03-31 15:30 UTC is 1 April 00:30 in Seoul; 14:59 UTC is still 31 March.
    assert series == {"2026-01": (1, 0), "2026-02": (1, 0), "2026-03": (1, 1), "2026-04": (3, 1), "2026-05": (1, 0)}


def test_month_window_crosses_the_year_in_seoul():
    # 31 December 2025 16:00 UTC is already 1 January 2026 in Seoul.
    keys = analytics.month_keys(utc(2025, 12, 31, 16, 0), 3)
    assert keys == ["2025-11", "2025-12", "2026-01"]


def test_hotspots_sizes_members_top_category_and_votes(city, places):
    result = analytics.hotspots(places["east"], eps_m=150, min_points=2)
    spots = result["hotspots"]
    assert [(s["id"], s["size"], s["members"], s["top_category"].code, s["votes"]) for s in spots] == [
        (city["a1"], 3, [city["a1"], city["a2"], city["a3"]], "safety", 5),
        # environment and waste tie at one report each: environment is listed first.
        (city["b1"], 2, [city["b1"], city["b2"]], "environment", 0),
    ]
    assert sorted(result["noise"]) == sorted([city["lone_old"], city["lone_new"]])
    assert result["reports"] == 7
    assert spots[0]["oldest_at"] == utc(2026, 3, 31, 14, 59)
    outline = spots[0]["outline"]
    assert outline.is_valid
    for rid in spots[0]["members"]:
        assert outline.contains(to_shape(db.session.get(Report, rid).geom))


def test_hotspot_parameters_change_the_clusters(city, places):
    tight = analytics.hotspots(places["east"], eps_m=50, min_points=2)["hotspots"]
    assert [(s["id"], s["size"]) for s in tight] == [(city["a1"], 3)]
    strict = analytics.hotspots(places["east"], eps_m=150, min_points=3)["hotspots"]
    assert [(s["id"], s["size"]) for s in strict] == [(city["a1"], 3)]
    assert analytics.hotspots(places["east"], eps_m=150, min_points=4)["hotspots"] == []


def test_priority_order_and_components(city, places):
    ranked = priorities.priorities(places["east"], eps_m=150, min_points=2, now=NOW)
    got = [(i["rank"], i["kind"], i["id"], i["score"]) for i in ranked["items"]]
    # A: 2 ln 6 = 3.58, 2 ln 4 = 2.77, 44 days -> 3 * 44 / 90 = 1.47.  Lone old report: 2 ln 4 = 2.77,
    # 2 ln 2 = 1.39, capped at 90 days -> 3.00.  B: 0, 2 ln 3 = 2.20, 103 days -> 3.00.
    # Lone new report: 0, 1.39, 40 days -> 1.33.
    assert got == [
        (1, "hotspot", city["a1"], 7.82),
        (2, "report", city["lone_old"], 7.16),
        (3, "hotspot", city["b1"], 5.20),
        (4, "report", city["lone_new"], 2.72),
    ]
    first = ranked["items"][0]["components"]
    assert first == {"votes": {"value": 5, "points": 3.58}, "size": {"value": 3, "points": 2.77},
                     "age": {"value": 44, "points": 1.47}}
    assert ranked["items"][3]["components"]["age"] == {"value": 40, "points": 1.33}
    assert ranked["weights"] == {"votes": 2.0, "size": 2.0, "age": 3.0, "age_cap_days": 90}
    for item in ranked["items"]:
        assert item["score"] == round(sum(p["points"] for p in item["components"].values()), 2)
    assert round(2 * math.log1p(5), 2) == 3.58


def test_weights_come_from_config(city, places, app):
    default, app.config["ANALYTICS_WEIGHT_AGE"] = app.config["ANALYTICS_WEIGHT_AGE"], 30.0
    try:
        ranked = priorities.priorities(places["east"], eps_m=150, min_points=2, now=NOW)
    finally:
        app.config["ANALYTICS_WEIGHT_AGE"] = default
    # Age now dominates: the items at the 90-day cap come first.
    assert [(i["id"], i["score"]) for i in ranked["items"]] == [
        (city["lone_old"], 34.16), (city["b1"], 32.2), (city["a1"], 21.02), (city["lone_new"], 14.72)]
    assert ranked["items"][0]["components"]["age"] == {"value": 379, "points": 30.0}


def test_equal_scores_are_ordered_by_id(places, resident, add_report):
    ids = [add_report(resident, lon=127.01 + 0.01 * i, lat=37.05, title=f"같은 점수 {i}").id for i in range(3)]
    for rid in ids:
        db.session.get(Report, rid).created_at = NOW
    db.session.commit()
    ranked = priorities.priorities(places["east"], eps_m=150, min_points=2, now=NOW)
    assert [i["id"] for i in ranked["items"]] == sorted(ids)
    assert len({i["score"] for i in ranked["items"]}) == 1


# --- API ---------------------------------------------------------------------------------------------

def test_api_summary(client, city, planner, sign_in):
    sign_in(client, planner)
    body = client.get("/api/v1/municipalities/90001/analytics").get_json()
    assert body["municipality"]["code"] == "90001"
    assert body["total"] == 8 and len(body["by_category"]) == 8 and len(body["monthly"]) == 12
    assert body["by_category"][1]["code"] == "safety" and body["by_category"][1]["count"] == 3
    assert {r["status"]: r["count"] for r in body["by_status"]}["resolved"] == 1


def test_api_hotspots_geojson_echoes_parameters(client, city, planner, sign_in):
    sign_in(client, planner)
    body = client.get("/api/v1/municipalities/90001/hotspots?eps=150&min_points=2").get_json()
    assert body["type"] == "FeatureCollection"
    assert body["parameters"] == {"eps": 150, "min_points": 2, "status": "open"}
    assert body["noise"] == 2
    first = body["features"][0]
    assert first["id"] == city["a1"] and first["geometry"]["type"] == "Polygon"
    assert shape(first["geometry"]).is_valid
    assert shape(first["geometry"]).contains(Point(127.03, 37.03))
    props = first["properties"]
    assert (props["size"], props["votes"], props["top_category"]) == (3, 5, "safety")
    assert [m["id"] for m in props["members"]] == [city["a1"], city["a2"], city["a3"]]
    assert props["members"][0]["url"].endswith(f"/reports/{city['a1']}")
    defaults = client.get("/api/v1/municipalities/90001/hotspots").get_json()["parameters"]
    assert defaults == {"eps": 150, "min_points": 2, "status": "open"}


@pytest.mark.parametrize("query, field", [
    ("eps=5", "eps"), ("eps=2001", "eps"), ("eps=abc", "eps"),
    ("min_points=1", "min_points"), ("min_points=51", "min_points"), ("min_points=2.5", "min_points"),
])
def test_api_hotspots_bad_parameters_name_the_field(client, city, planner, sign_in, query, field):
    sign_in(client, planner)
    response = client.get(f"/api/v1/municipalities/90001/hotspots?{query}")
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_failed" and list(error["fields"]) == [field]


def test_api_priorities_with_components(client, city, planner, sign_in):
    sign_in(client, planner)
    body = client.get("/api/v1/municipalities/90001/priorities").get_json()
    items = body["items"]
    assert [(i["kind"], i["id"]) for i in items][0] == ("hotspot", city["a1"])
    assert items[0]["members"] == [city["a1"], city["a2"], city["a3"]]
    assert items[0]["components"]["votes"] == {"value": 5, "points": 3.58}
    lone = next(i for i in items if i["id"] == city["lone_new"])
    assert lone["kind"] == "report" and lone["title"] == "놀이터 소음" and lone["url"].endswith(f"/{city['lone_new']}")
    assert body["weights"]["votes"] == 2.0 and "ln(1 + votes)" in body["formula"]
    assert body["parameters"] == {"eps": 150, "min_points": 2}
    assert [i["rank"] for i in items] == [1, 2, 3, 4]


def test_api_heatmap_cells(client, city, planner, sign_in):
    sign_in(client, planner)
    body = client.get("/api/v1/municipalities/90001/heatmap").get_json()
    assert body["type"] == "FeatureCollection" and body["features"]
    hottest = max(body["features"], key=lambda f: f["properties"]["intensity"])
    assert hottest["properties"]["intensity"] == 1.0
    # The densest cell is at the school, where three open reports lie within 40 m.
    assert shape(hottest["geometry"]).distance(Point(127.03, 37.03)) < 0.002


@pytest.mark.parametrize("path", ["analytics", "hotspots", "priorities", "heatmap"])
def test_api_permissions(client, app, city, planner, west_planner, admin, sign_in, path):
    url = f"/api/v1/municipalities/90001/{path}"
    assert client.get(url).status_code == 401
    assert sign_in(app.test_client(), west_planner).get(url).status_code == 403
    assert sign_in(app.test_client(), admin).get(url).status_code == 200
    assert sign_in(app.test_client(), planner).get(f"/api/v1/municipalities/99999/{path}").status_code == 404
    error = sign_in(app.test_client(), west_planner).get(url).get_json()["error"]
    assert error["code"] == "forbidden"


# --- pages -------------------------------------------------------------------------------------------

def test_planner_index_goes_straight_to_their_municipality(client, city, planner, sign_in):
    sign_in(client, planner)
    response = client.get("/analytics/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/analytics/90001")


def test_admin_index_offers_a_choice(client, city, admin, sign_in):
    sign_in(client, admin)
    page = client.get("/analytics/").get_data(as_text=True)
    assert 'name="municipality"' in page and "90001" in page and "90002" in page
    chosen = client.get("/analytics/?municipality=90002")
    assert chosen.status_code == 302 and chosen.headers["Location"].endswith("/analytics/90002")


def test_index_refuses_residents_and_sends_visitors_to_login(client, city, resident, sign_in):
    response = client.get("/analytics/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    sign_in(client, resident)
    assert client.get("/analytics/").status_code == 403
    assert client.get("/analytics/90001").status_code == 403


def test_page_shows_counts_priorities_and_explanation(client, city, planner, sign_in):
    sign_in(client, planner)
    response = client.get("/analytics/90001?lang=en")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'<tr data-kind="hotspot" data-id="{city["a1"]}">' in page
    assert page.index(f'data-id="{city["a1"]}"') < page.index(f'data-id="{city["lone_old"]}"')
    assert "5 votes → 3.58 points" in page and "3 reports → 2.77 points" in page
    assert "1 report → 1.39 points" in page
    assert "ln(1 + votes)" in page
    assert page.count('<tr data-month="') == 12
    assert '<tr data-code="safety"><th scope="row">' in page
    assert 'id="heat-toggle"' in page and 'data-eps="150.0"' in page
    assert client.get("/analytics/90002").status_code == 403
    assert client.get("/analytics/99999").status_code == 404


def test_page_with_bad_parameters_shows_the_field_error(client, city, planner, sign_in):
    sign_in(client, planner)
    response = client.get("/analytics/90001?eps=3&min_points=4&lang=en")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="eps-error"' in page and "Must be between 10 and 2000." in page
    assert 'value="3"' in page
    # The list is still there, computed with the defaults.
    assert f'data-id="{city["a1"]}"' in page
