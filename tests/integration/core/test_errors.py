"""One error envelope for the API, HTML error pages for the web; never a 500 for bad input."""
import pytest

from webapp.extensions import db
from webapp.models import Report

GOOD = {"lat": 37.05, "lon": 127.05, "category": "traffic", "title": "도로 파임", "description": "구멍"}


def _error(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert isinstance(error["code"], str) and isinstance(error["message"], str) and error["message"]
    return error


def _fields(response):
    error = _error(response, 422)
    assert error["code"] == "validation_failed"
    for messages in error["fields"].values():
        assert isinstance(messages, list) and all(isinstance(m, str) and m for m in messages)
    return error["fields"]


@pytest.fixture
def signed_in(client, resident, sign_in):
    return sign_in(client, resident)


@pytest.mark.parametrize("bbox", [
    "127.0,37.0,127.1",             # three numbers
    "127.0,37.0,127.1,37.1,5",      # five numbers
    "a,b,c,d",                      # text
    "127.1,37.0,127.0,37.1",        # min lon > max lon
    "127.0,37.1,127.1,37.0",        # min lat > max lat
    "127.0,37.0,127.0,37.1",        # empty box
    "127.0,37.0,181,37.1",          # lon out of range
    "127.0,-91,127.1,37.1",         # lat out of range
    "nan,37.0,127.1,37.1",
    "127.0,37.0,inf,37.1",
])
def test_malformed_bbox_is_422_naming_bbox(client, places, bbox):
    assert list(_fields(client.get(f"/api/v1/reports?bbox={bbox}"))) == ["bbox"]


def test_blank_bbox_counts_as_no_box(client, places):
    response = client.get("/api/v1/reports?bbox=")
    assert response.status_code == 200 and response.get_json()["features"] == []


def test_unknown_status_filter_is_422(client, places):
    assert list(_fields(client.get("/api/v1/reports?status=lost"))) == ["status"]


@pytest.mark.parametrize("field, value", [
    ("lat", 90.5), ("lat", -91), ("lon", 180.01), ("lon", -181), ("lat", "north"), ("lon", None),
])
def test_coordinates_out_of_range_or_invalid_are_422(client, signed_in, field, value):
    assert list(_fields(client.post("/api/v1/reports", json={**GOOD, field: value}))) == [field]


def test_unknown_category_is_422_naming_category(client, signed_in):
    assert list(_fields(client.post("/api/v1/reports", json={**GOOD, "category": "aliens"}))) == ["category"]


def test_title_of_121_characters_is_422_and_120_is_fine(client, signed_in):
    assert list(_fields(client.post("/api/v1/reports", json={**GOOD, "title": "가" * 121}))) == ["title"]
    assert client.post("/api/v1/reports", json={**GOOD, "title": "가" * 120}).status_code == 201


def test_blank_title_is_422(client, signed_in):
    assert list(_fields(client.post("/api/v1/reports", json={**GOOD, "title": "   "}))) == ["title"]
    assert db.session.query(Report).count() == 0


@pytest.mark.parametrize("missing", ["lat", "lon", "category", "title", "description"])
def test_missing_field_is_422_naming_it(client, signed_in, missing):
    body = {k: v for k, v in GOOD.items() if k != missing}
    assert list(_fields(client.post("/api/v1/reports", json=body))) == [missing]


def test_every_bad_field_is_named_at_once(client, signed_in):
    fields = _fields(client.post("/api/v1/reports", json={"lat": 99, "title": ""}))
    assert set(fields) == {"lat", "lon", "category", "title", "description"}


def test_point_outside_every_municipality_is_422_saying_so(client, signed_in):
    response = client.post("/api/v1/reports?lang=en", json={**GOOD, "lon": 128.5})
    error = _error(response, 422)
    assert "outside every municipality" in error["message"]
    assert "lat" in error["fields"]
    assert db.session.query(Report).count() == 0


@pytest.mark.parametrize("kwargs", [
    {"data": "lat=37&lon=127", "content_type": "text/plain"},
    {"data": "{not json", "content_type": "application/json"},
    {"data": "[1, 2]", "content_type": "application/json"},
    {"data": '"a string"', "content_type": "application/json"},
    {"data": "", "content_type": "application/json"},
])
def test_non_json_body_is_422_not_500(client, signed_in, kwargs):
    error = _error(client.post("/api/v1/reports", **kwargs), 422)
    assert error["code"] == "validation_failed"
    assert error["fields"]


def test_unauthenticated_write_is_401_envelope(client, places):
    error = _error(client.post("/api/v1/reports", json=GOOD), 401)
    assert error["code"] == "unauthorized"


def test_unknown_report_is_404_envelope(client, places):
    assert _error(client.get("/api/v1/reports/4242"), 404)["code"] == "not_found"
    assert _error(client.get("/api/v1/no-such-endpoint"), 404)["code"] == "not_found"


def test_unknown_report_page_is_404_html(client, places):
    response = client.get("/reports/4242")
    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_wrong_method_is_405_envelope(client, places):
    assert _error(client.put("/api/v1/categories", json={}), 405)["code"] == "method_not_allowed"


def test_missing_csrf_token_on_api_write_is_400_envelope(client, signed_in):
    error = _error(client.post("/api/v1/reports", json=GOOD, csrf=False), 400)
    assert error["code"] == "csrf_failed"
    assert db.session.query(Report).count() == 0


def test_wrong_csrf_token_on_api_write_is_400_envelope(client, signed_in):
    response = client.post("/api/v1/reports", json=GOOD, headers={"X-CSRFToken": "forged"})
    assert _error(response, 400)["code"] == "csrf_failed"


def test_missing_csrf_token_on_a_form_is_400_page(client, signed_in):
    response = client.post("/reports/new", data=GOOD, csrf=False)
    assert response.status_code == 400 and response.mimetype == "text/html"


def test_resident_triage_through_the_page_is_403_page(client, signed_in, resident, add_report):
    report = add_report(resident)
    response = client.post(f"/reports/{report.id}/status", data={"status": "under_review", "note": "x"})
    assert response.status_code == 403 and response.mimetype == "text/html"
    db.session.refresh(report)
    assert report.status == "submitted"


def test_messages_in_english_on_request(client, signed_in):
    error = _error(client.post("/api/v1/reports?lang=en", json={**GOOD, "title": "x" * 121}), 422)
    assert error["message"] == "Some fields are not valid."
    assert error["fields"]["title"] == ["Must be between 1 and 120 characters long."]
    missing = _error(client.post("/api/v1/reports?lang=en", json={"lat": 37.05}), 422)
    assert missing["fields"]["lon"] == ["This field is required."]
    bbox = _error(client.get("/api/v1/reports?lang=en&bbox=1,2,3"), 422)
    assert bbox["fields"]["bbox"] == ["Give the box as minlon,minlat,maxlon,maxlat."]


def test_messages_in_korean_by_default(client, signed_in):
    error = _error(client.post("/api/v1/reports", json={**GOOD, "title": "", "lon": 128.5, "lat": 99}), 422)
    assert error["message"] == "일부 입력 항목이 올바르지 않습니다."
    assert error["fields"]["title"] == ["필수 입력 항목입니다."]
    outside = _error(client.post("/api/v1/reports", json={**GOOD, "lon": 128.5}), 422)
    assert outside["message"] == "이 위치는 서비스 대상 지자체 관할 구역 밖에 있습니다."
    anonymous = _error(client.application.test_client().post("/api/v1/reports", json=GOOD), 401)
    assert anonymous["message"] == "먼저 로그인해 주세요."


def test_unexpected_failure_is_500_envelope(client, signed_in, monkeypatch):
    from webapp.reports import service as reports

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(reports, "all_categories", broken)
    error = _error(client.get("/api/v1/categories"), 500)
    assert error["code"] == "internal_error" and "disk on fire" not in error["message"]


def test_service_errors_outside_a_request_are_still_app_errors(resident):
    """Command-line callers (demo data, imports) have no request; raising must not need one."""
    from webapp.errors import ValidationFailed
    from webapp.reports import service as reports

    with pytest.raises(ValidationFailed) as err:
        reports.create(resident, {**GOOD, "lon": 128.5})
    assert err.value.status == 422 and list(err.value.fields) == ["lat"]
