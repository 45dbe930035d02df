"""Reference endpoints: municipalities (with point lookup) and categories."""
from shapely.geometry import shape

from webapp.reports.categories import CATEGORIES


def test_municipalities_lists_every_municipality_by_code(client, places):
    body = client.get("/api/v1/municipalities").get_json()
    assert [m["code"] for m in body["municipalities"]] == ["90001", "90002"]
    east = body["municipalities"][0]
    assert east["name"] == "동시" and east["name_en"] == "East City" and east["province"] == "시험도"


def test_municipality_display_name_follows_the_language(client, places):
    ko = client.get("/api/v1/municipalities").get_json()["municipalities"][0]
    en = client.get("/api/v1/municipalities?lang=en").get_json()["municipalities"][0]
    assert ko["display_name"] == "동시"
    assert en["display_name"] == "East City"


def test_point_in_east_finds_east(client, places):
    body = client.get("/api/v1/municipalities?lat=37.05&lon=127.05").get_json()
    assert [m["code"] for m in body["municipalities"]] == ["90001"]


def test_point_in_west_finds_west(client, places):
    body = client.get("/api/v1/municipalities?lat=37.05&lon=126.95").get_json()
    assert [m["code"] for m in body["municipalities"]] == ["90002"]


def test_point_on_the_shared_edge_finds_one_municipality_the_lowest_code(client, places):
    body = client.get("/api/v1/municipalities?lat=37.05&lon=127.0").get_json()
    assert [m["code"] for m in body["municipalities"]] == ["90001"]


def test_point_outside_every_municipality_gives_an_empty_list(client, places):
    response = client.get("/api/v1/municipalities?lat=37.05&lon=127.2")
    assert response.status_code == 200
    assert response.get_json() == {"municipalities": []}
    # Just north of both squares: still outside.
    assert client.get("/api/v1/municipalities?lat=37.1001&lon=127.05").get_json()["municipalities"] == []


def test_point_lookup_needs_both_coordinates(client, places):
    response = client.get("/api/v1/municipalities?lat=37.05")
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_failed"
    assert list(error["fields"]) == ["lon"]


def test_point_lookup_rejects_out_of_range_and_text(client, places):
    response = client.get("/api/v1/municipalities?lat=91&lon=127")
    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["lat"]
    response = client.get("/api/v1/municipalities?lat=37&lon=east")
    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["lon"]


def test_municipality_detail_has_its_boundary(client, places):
    body = client.get("/api/v1/municipalities/90002").get_json()
    assert body["code"] == "90002"
    assert body["bbox"] == [126.9, 37.0, 127.0, 37.1]
    boundary = shape(body["boundary"])
    assert boundary.contains(shape({"type": "Point", "coordinates": [126.95, 37.05]}))
    assert abs(boundary.area - 0.01) < 1e-9


def test_unknown_municipality_code_is_404_envelope(client, places):
    response = client.get("/api/v1/municipalities/99999")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_categories_are_listed_in_display_order(client, places):
    body = client.get("/api/v1/categories").get_json()
    assert [c["code"] for c in body["categories"]] == [c[0] for c in CATEGORIES]
    traffic = body["categories"][0]
    assert traffic == {"code": "traffic", "name": "교통·주차", "domain": "mobility", "color": "#d9480f"}


def test_category_names_in_english_on_request(client, places):
    body = client.get("/api/v1/categories?lang=en").get_json()
    assert body["categories"][0]["name"] == "Traffic and parking"


def test_categories_empty_before_set_up(client, app):
    assert client.get("/api/v1/categories").get_json() == {"categories": []}
