"""Report API: GeoJSON search by box and filters, creation, detail and nearby duplicates."""
import io
from datetime import datetime, timedelta, timezone

import pytest
from pyproj import Geod
from shapely.geometry import Point, shape

from geo.distance import metres_between
from webapp.extensions import db
from webapp.models import Report

GEOD = Geod(ellps="WGS84")
BOX = (127.02, 37.02, 127.04, 37.04)
BBOX = ",".join(str(v) for v in BOX)
EPS = 1e-6  # about 10 cm: closer than the float32 boxes of the spatial indexes can tell apart


def _ids(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["type"] == "FeatureCollection"
    return {f["properties"]["id"] for f in body["features"]}


def _new(title="도로 파임", category="traffic", lat=37.05, lon=127.05, **extra):
    return {"lat": lat, "lon": lon, "category": category, "title": title,
            "description": "큰 구멍이 있습니다.", **extra}


def test_bbox_returns_only_reports_inside_the_box(client, resident, add_report):
    inside = [
        add_report(resident, lon=127.03, lat=37.03).id,
        add_report(resident, lon=BOX[0] + EPS, lat=BOX[1] + EPS).id,
        add_report(resident, lon=BOX[2] - EPS, lat=BOX[3] - EPS).id,
    ]
    for lon, lat in [(BOX[0] - EPS, 37.03), (BOX[2] + EPS, 37.03), (127.03, BOX[1] - EPS),
                     (127.03, BOX[3] + EPS), (BOX[2] + EPS, BOX[3] + EPS), (127.08, 37.08)]:
        add_report(resident, lon=lon, lat=lat)
    assert _ids(client.get(f"/api/v1/reports?bbox={BBOX}")) == set(inside)


def test_feature_is_geojson_point_with_properties(client, resident, add_report):
    report = add_report(resident, lon=127.031, lat=37.032, title="가로등 고장")
    body = client.get(f"/api/v1/reports?bbox={BBOX}").get_json()
    feature = body["features"][0]
    assert feature["type"] == "Feature" and feature["id"] == report.id
    assert shape(feature["geometry"]).equals_exact(Point(127.031, 37.032), 1e-7)
    props = feature["properties"]
    assert props["title"] == "가로등 고장"
    assert props["category"] == "traffic" and props["status"] == "submitted"
    assert props["municipality"] == "90001" and props["votes"] == 0
    assert props["url"] == f"/reports/{report.id}"


def test_without_bbox_every_report_is_listed(client, resident, add_report):
    ids = {add_report(resident, lon=lon).id for lon in (126.95, 127.05)}
    assert _ids(client.get("/api/v1/reports")) == ids


def test_category_filter(client, resident, add_report):
    safety = add_report(resident, category="safety").id
    add_report(resident, category="traffic")
    assert _ids(client.get("/api/v1/reports?category=safety")) == {safety}
    assert _ids(client.get(f"/api/v1/reports?category=safety&bbox={BBOX}")) == set()


def test_status_filter_and_open(client, resident, add_report):
    submitted = add_report(resident).id
    planned = add_report(resident, status="planned").id
    closed = add_report(resident, status="closed").id
    resolved = add_report(resident, status="resolved").id
    assert _ids(client.get("/api/v1/reports?status=closed")) == {closed}
    assert _ids(client.get("/api/v1/reports?status=resolved")) == {resolved}
    assert _ids(client.get("/api/v1/reports?status=open")) == {submitted, planned}


def test_municipality_filter(client, resident, add_report):
    west = add_report(resident, lon=126.95).id
    add_report(resident, lon=127.05)
    assert _ids(client.get("/api/v1/reports?municipality=90002")) == {west}
    assert _ids(client.get("/api/v1/reports?municipality=99999")) == set()


def test_limit_returns_the_newest_reports(client, resident, add_report):
    ids = [add_report(resident, title=f"문제 {i}").id for i in range(3)]
    body = client.get("/api/v1/reports?limit=2").get_json()
    assert [f["id"] for f in body["features"]] == [ids[2], ids[1]]
    assert body["limit"] == 2 and body["truncated"] is True
    assert client.get("/api/v1/reports?limit=3").get_json()["truncated"] is True
    assert len(client.get("/api/v1/reports?limit=5").get_json()["features"]) == 3


@pytest.mark.parametrize("limit", ["0", "1001", "ten"])
def test_bad_limit_is_422(client, places, limit):
    response = client.get(f"/api/v1/reports?limit={limit}")
    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["limit"]


def test_create_report_from_json(client, resident, sign_in):
    sign_in(client, resident)
    response = client.post("/api/v1/reports", json=_new(anonymous=True))
    assert response.status_code == 201, response.get_data(as_text=True)
    feature = response.get_json()
    assert feature["properties"]["municipality"] == "90001"
    assert feature["properties"]["status"] == "submitted"
    report = db.session.get(Report, feature["id"])
    assert report.author_id == resident.id and report.anonymous is True
    assert report.title == "도로 파임" and report.category.code == "traffic"
    assert [(h.from_status, h.to_status, h.actor_id) for h in report.history] == [(None, "submitted", resident.id)]


def test_create_report_strips_surrounding_spaces(client, resident, sign_in):
    sign_in(client, resident)
    response = client.post("/api/v1/reports", json=_new(title="  맨홀 뚜껑  "))
    assert response.get_json()["properties"]["title"] == "맨홀 뚜껑"


def test_point_in_west_is_assigned_to_west(client, resident, sign_in):
    sign_in(client, resident)
    response = client.post("/api/v1/reports", json=_new(lon=126.95, lat=37.05))
    assert response.status_code == 201
    assert db.session.get(Report, response.get_json()["id"]).municipality.code == "90002"


def test_create_report_multipart_with_photo(client, resident, sign_in, jpeg_bytes):
    sign_in(client, resident)
    form = {**_new(), "anonymous": "on", "photos": [(io.BytesIO(jpeg_bytes()), "a.jpg"),
                                                (io.BytesIO(jpeg_bytes()), "b.jpg")]}
    response = client.post("/api/v1/reports", data=form, content_type="multipart/form-data")
    assert response.status_code == 201, response.get_data(as_text=True)
    props = response.get_json()["properties"]
    assert len(props["photos"]) == 2
    assert client.get(props["photos"][0]).status_code == 200
    assert db.session.get(Report, props["id"]).anonymous is True


def test_report_detail(client, resident, neighbour, add_report):
    report = add_report(resident, description="자세한 설명")
    body = client.get(f"/api/v1/reports/{report.id}").get_json()
    props = body["properties"]
    assert props["description"] == "자세한 설명" and props["author"] == "주민"
    assert props["history"][0]["to"] == "submitted" and props["votes"] == 0 and props["voted"] is False
    assert props["photos"] == []


def test_report_detail_hides_the_author_of_an_anonymous_report(client, resident, neighbour, sign_in, add_report):
    report = add_report(resident, anonymous=True)
    assert client.get(f"/api/v1/reports/{report.id}").get_json()["properties"]["author"] is None
    sign_in(client, neighbour)
    assert client.get(f"/api/v1/reports/{report.id}").get_json()["properties"]["author"] is None
    own = sign_in(client.application.test_client(), resident)
    assert own.get(f"/api/v1/reports/{report.id}").get_json()["properties"]["author"] == "주민"


def _at(distance, azimuth=45.0, origin=(127.05, 37.05)):
    lon, lat, _ = GEOD.fwd(origin[0], origin[1], azimuth, distance)
    assert metres_between(origin[0], origin[1], lon, lat) == pytest.approx(distance, abs=0.01)
    return lon, lat


def test_nearby_lists_open_reports_of_the_category_within_100_m(client, resident, add_report):
    near = add_report(resident, *_at(90), category="safety")
    nearer = add_report(resident, *_at(30, 200), category="safety", status="in_progress")
    add_report(resident, *_at(110), category="safety")
    add_report(resident, *_at(10), category="safety", status="closed")
    add_report(resident, *_at(10), category="safety", status="resolved")
    add_report(resident, *_at(10), category="traffic")
    body = client.get("/api/v1/reports/nearby?lat=37.05&lon=127.05&category=safety").get_json()
    assert body["radius_m"] == 100
    assert [f["id"] for f in body["features"]] == [nearer.id, near.id]
    assert [f["properties"]["distance_m"] for f in body["features"]] == pytest.approx([30, 90], abs=0.1)


def test_nearby_without_category_lists_every_open_category(client, resident, add_report):
    ids = {add_report(resident, *_at(50), category=c).id for c in ("safety", "traffic")}
    body = client.get("/api/v1/reports/nearby?lat=37.05&lon=127.05").get_json()
    assert {f["id"] for f in body["features"]} == ids


def test_nearby_needs_valid_coordinates(client, places):
    response = client.get("/api/v1/reports/nearby?lat=95&lon=127.05")
    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["lat"]


def test_times_carry_their_utc_offset(client, resident, add_report):
    report = add_report(resident)
    report.created_at = datetime(2026, 1, 1, 20, 30, tzinfo=timezone.utc)
    db.session.commit()
    listed = client.get("/api/v1/reports").get_json()["features"][0]["properties"]["created_at"]
    detail = client.get(f"/api/v1/reports/{report.id}").get_json()["properties"]
    for stamp in (listed, detail["created_at"], detail["history"][0]["at"]):
        assert datetime.fromisoformat(stamp).utcoffset() == timedelta(0), stamp
    assert datetime.fromisoformat(listed) == datetime(2026, 1, 1, 20, 30, tzinfo=timezone.utc)
