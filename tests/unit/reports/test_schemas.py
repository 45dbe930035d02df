"""Report output needs no request: what it may show comes from the viewer it is given."""
from datetime import datetime, timezone

from geoalchemy2.shape import from_shape
from shapely.geometry import Point

from webapp.core.output import CategoryOut, MunicipalityOut, Viewer
from webapp.models import Category, Municipality, Report, StatusChange, User
from webapp.reports.schemas import PhotoLocationOut, ReportOut, ReportRow

AT = datetime(2026, 3, 1, 0, 30, tzinfo=timezone.utc)


def _url(endpoint, **values):
    return f"/{endpoint}/" + ",".join(f"{k}={v}" for k, v in sorted(values.items()))


def _report(hidden=False) -> Report:
    category = Category(code="traffic", name="교통·주차", name_en="Traffic and parking", domain="mobility",
                        color="#d9480f")
    place = Municipality(code="90001", name="동시", name_en="East City", province="시험도")
    report = Report(id=7, title="가로등", description="어둡습니다", status="submitted", created_at=AT,
                    geom=from_shape(Point(127.123456789, 37.5), srid=4326), category=category, municipality=place,
                    author=User(display_name="주민"), photos=[], history=[
                        StatusChange(from_status="submitted", to_status="under_review", note="봅니다", created_at=AT)])
    if hidden:
        report.hidden_at, report.hidden_reason = AT, "개인정보"
    return report


def _viewer(*allowed):
    return Viewer(lang="en", may=lambda action, target=None: action in allowed, url=_url)


def test_a_listed_report_is_a_feature_in_the_viewers_language_with_its_link():
    feature = ReportOut(_viewer()).dump(ReportRow(_report(), votes=3, voted=True))
    assert feature["type"] == "Feature" and feature["id"] == 7
    assert feature["geometry"] == {"type": "Point", "coordinates": [127.1234568, 37.5]}
    props = feature["properties"]
    assert props["category_name"] == "Traffic and parking" and props["municipality_name"] == "East City"
    assert props["votes"] == 3 and props["voted"] is True
    assert props["url"] == "/reports.show/report_id=7" and props["created_at"] == "2026-03-01T00:30:00+00:00"
    assert "description" not in props and "distance_m" not in props


def test_the_author_is_shown_only_to_a_viewer_who_may_see_it():
    row = ReportRow(_report())
    assert ReportOut(_viewer(), detail=True).dump(row)["properties"]["author"] is None
    shown = ReportOut(_viewer("report.see_author"), detail=True).dump(row)["properties"]
    assert shown["author"] == "주민" and shown["history"][0]["note"] == "봅니다"


def test_a_hidden_report_keeps_its_reason_and_loses_its_text_except_for_staff():
    row = ReportRow(_report(hidden=True))
    public = ReportOut(_viewer(), detail=True).dump(row)["properties"]
    assert public["hidden"] is True and public["hidden_reason"] == "개인정보"
    assert public["title"] is None and public["description"] is None and public["photos"] == []
    staff = ReportOut(_viewer("content.moderate"), detail=True).dump(row)["properties"]
    assert staff["title"] == "가로등" and staff["description"] == "어둡습니다"


def test_a_nearby_report_carries_its_distance():
    props = ReportOut(_viewer()).dump(ReportRow(_report(), distance_m=12.345))["properties"]
    assert props["distance_m"] == 12.3


def test_municipality_and_category_speak_the_viewers_language():
    place = Municipality(code="90001", name="동시", name_en="East City", province="시험도")
    assert MunicipalityOut(Viewer(lang="ko")).dump(place)["display_name"] == "동시"
    assert MunicipalityOut(_viewer()).dump(place) == {
        "code": "90001", "name": "동시", "name_en": "East City", "province": "시험도", "display_name": "East City"}
    category = Category(code="safety", name="방범·안전", name_en="Crime and safety", domain="safety", color="#c92a2a")
    assert CategoryOut(_viewer()).dump(category)["name"] == "Crime and safety"


def test_photo_location_says_found_only_with_a_position():
    assert PhotoLocationOut().dump(None) == {"found": False}
    assert PhotoLocationOut().dump((37.5, 127.1)) == {"found": True, "lat": 37.5, "lon": 127.1}
