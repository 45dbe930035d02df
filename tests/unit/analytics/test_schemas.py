"""Analytics output schemas dumped outside any app or request: what they show comes only from the viewer given."""
from datetime import datetime, timezone

import flask
import pytest
from shapely.geometry import Polygon, box, shape

from webapp.analytics.schemas import (
    HeatCellOut,
    HeatmapOut,
    HotspotOut,
    HotspotsOut,
    PrioritiesOut,
    SummaryOut,
    plain_number,
)
from webapp.core.output import Viewer
from webapp.models import Category, Municipality


def _refuse(action, target=None):
    pytest.fail(f"analytics output asks no permission ({action})")


def viewer(lang="en"):
    return Viewer(lang=lang, may=_refuse, url=lambda e, **v: f"/{e}/{v}")


SAFETY = Category(id=2, code="safety", name="범죄·안전", name_en="Crime and safety", domain="safety", color="#c0392b")
TRAFFIC = Category(id=1, code="traffic", name="교통·주차", name_en="Traffic and parking", domain="transport",
                   color="#2980b9")
EAST = Municipality(code="90001", name="동시", name_en="East City", province="시험도")
OUTLINE = Polygon([(127.030000012, 37.03), (127.0305, 37.03), (127.0305, 37.0305), (127.030000012, 37.03)])


@pytest.fixture(autouse=True)
def no_app():
    assert not flask.has_app_context() and not flask.has_request_context()


def spot():
    return {
        "id": 11, "size": 2, "members": [11, 12], "core": [11], "titles": {11: "학교 앞", 12: "과속"},
        "top_category": SAFETY, "top_category_count": 2, "votes": 5,
        "oldest_at": datetime(2026, 3, 31, 14, 59, tzinfo=timezone.utc), "outline": OUTLINE,
    }


def test_plain_numbers_read_as_given():
    assert plain_number(150.0) == 150 and isinstance(plain_number(150.0), int)
    assert plain_number(12.5) == 12.5


def test_summary_names_in_the_viewers_language():
    data = {
        "municipality": EAST, "total": 3, "open": 2,
        "by_category": [{"code": "safety", "category": SAFETY, "count": 3, "open": 2}],
        "by_status": [{"status": "submitted", "count": 2}, {"status": "resolved", "count": 1}],
        "monthly": [{"month": "2026-05", "new": 3, "resolved": 1}],
    }
    english = SummaryOut(viewer("en")).dump(data)
    assert english["municipality"] == {"code": "90001", "name": "동시", "name_en": "East City",
                                       "province": "시험도", "display_name": "East City"}
    assert english["by_category"] == [{"code": "safety", "name": "Crime and safety", "count": 3, "open": 2}]
    # Outside an app the labels are the English source texts.
    assert english["by_status"] == [{"status": "submitted", "name": "Submitted", "count": 2},
                                    {"status": "resolved", "name": "Resolved", "count": 1}]
    assert english["monthly"] == [{"month": "2026-05", "new": 3, "resolved": 1}]
    assert english["total"] == 3 and english["open"] == 2 and english["timezone"] == "Asia/Seoul"
    korean = SummaryOut(viewer("ko")).dump(data)
    assert korean["municipality"]["display_name"] == "동시" and korean["by_category"][0]["name"] == "범죄·안전"


def test_hotspot_feature_with_member_links_from_the_viewer():
    feature = HotspotOut(viewer("ko")).dump(spot())
    assert feature["type"] == "Feature" and feature["id"] == 11
    assert feature["geometry"]["type"] == "Polygon"
    assert feature["geometry"]["coordinates"][0][0] == [127.03, 37.03]
    assert shape(feature["geometry"]).equals_exact(OUTLINE, 1e-6)
    props = feature["properties"]
    assert props == {
        "id": 11, "size": 2, "votes": 5, "top_category": "safety", "top_category_name": "범죄·안전",
        "top_category_count": 2, "color": "#c0392b", "oldest_at": "2026-03-31T14:59:00+00:00",
        "members": [
            {"id": 11, "title": "학교 앞", "url": "/reports.show/{'report_id': 11}", "core": True},
            {"id": 12, "title": "과속", "url": "/reports.show/{'report_id': 12}", "core": False},
        ],
    }


def test_hotspot_collection_echoes_the_parameters():
    result = {"eps_m": 150.0, "min_points": 2, "status": "open", "hotspots": [spot()], "noise": [3, 4, 5],
              "reports": 5}
    body = HotspotsOut(viewer()).dump(result)
    assert body["type"] == "FeatureCollection"
    assert body["parameters"] == {"eps": 150, "min_points": 2, "status": "open"}
    assert isinstance(body["parameters"]["eps"], int)
    assert body["noise"] == 3 and body["reports"] == 5
    assert [f["id"] for f in body["features"]] == [11]
    assert body["features"][0]["properties"]["top_category_name"] == "Crime and safety"
    empty = HotspotsOut(viewer()).dump({**result, "eps_m": 12.5, "hotspots": [], "noise": []})
    assert empty["features"] == [] and empty["parameters"]["eps"] == 12.5 and empty["noise"] == 0


def _parts(votes, size, age):
    return {"votes": {"value": votes, "points": 1.0}, "size": {"value": size, "points": 2.0},
            "age": {"value": age, "points": 0.5}}


def test_priorities_show_each_kind_its_own_fields():
    hotspot = {"rank": 1, "kind": "hotspot", "id": 11, "score": 3.5, "votes": 5, "size": 2, "age_days": 44,
               "components": _parts(5, 2, 44), "hotspot": spot(), "title": None, "top_category": SAFETY}
    lone = {"rank": 2, "kind": "report", "id": 7, "score": 1.25, "votes": 0, "size": 1, "age_days": 3,
            "components": _parts(0, 1, 3), "report": {}, "title": "버스 정류장", "top_category": None,
            "category_id": 1}
    result = {"eps_m": 150.0, "min_points": 2, "now": datetime(2026, 5, 15, 3, tzinfo=timezone.utc),
              "weights": {"votes": 2.0, "size": 2.0, "age": 3.0, "age_cap_days": 90}, "total": 2,
              "items": [hotspot, lone], "municipality": EAST, "formula": "score = ..."}
    body = PrioritiesOut(viewer("en"), categories={1: TRAFFIC, 2: SAFETY}).dump(result)
    assert body["parameters"] == {"eps": 150, "min_points": 2}
    assert body["weights"] == {"votes": 2.0, "size": 2.0, "age": 3.0, "age_cap_days": 90}
    assert body["now"] == "2026-05-15T03:00:00+00:00" and body["formula"] == "score = ..." and body["total"] == 2
    assert body["municipality"]["display_name"] == "East City"
    first, second = body["items"]
    common = {"rank", "kind", "id", "score", "votes", "size", "age_days", "components"}
    assert set(first) == common | {"members", "top_category", "top_category_name"}
    assert (first["members"], first["top_category"], first["top_category_name"]) == ([11, 12], "safety",
                                                                                     "Crime and safety")
    assert first["components"] == _parts(5, 2, 44)
    assert set(second) == common | {"title", "url", "category", "category_name"}
    assert second["title"] == "버스 정류장" and second["url"] == "/reports.show/{'report_id': 7}"
    assert (second["category"], second["category_name"]) == ("traffic", "Traffic and parking")
    korean = PrioritiesOut(viewer("ko"), categories={1: TRAFFIC, 2: SAFETY}).dump(result)["items"]
    assert [korean[0]["top_category_name"], korean[1]["category_name"]] == ["범죄·안전", "교통·주차"]


def test_heat_map_cells_as_features():
    cell = {"row": 0, "col": 0, "polygon": box(127.0, 37.0, 127.001, 37.001), "weight": 2.5, "intensity": 1.0}
    assert HeatCellOut(viewer()).dump(cell)["properties"] == {"intensity": 1.0, "weight": 2.5}
    body = HeatmapOut(viewer()).dump({"cell_m": 100.0, "radius_m": 250.0, "status": "open", "cells": [cell]})
    assert body["type"] == "FeatureCollection"
    assert body["parameters"] == {"cell_m": 100, "radius_m": 250, "status": "open"}
    (feature,) = body["features"]
    assert feature["type"] == "Feature" and shape(feature["geometry"]).equals(cell["polygon"])
