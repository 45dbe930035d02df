"""Plan documents: budget and KPI CSV (exact, BOM), GeoJSON, versions; nothing public before submission."""
import csv
import io

import pytest
from shapely.geometry import shape

from tests.fixtures.plans import make_plan, submit
from webapp.extensions import db
from webapp.models import BudgetLine, Vote

BOM = "\ufeff"


@pytest.fixture
def plan(planner, resident, neighbour, add_report, places):
    report = add_report(resident, title="횡단보도가 위험해요")
    db.session.add_all([Vote(report_id=report.id, user_id=resident.id),
                        Vote(report_id=report.id, user_id=neighbour.id)])
    db.session.commit()
    plan = make_plan(places["east"], planner, reports=[report])
    submit(plan, planner)
    return plan


def _items(plan):
    return [item.id for item in plan.items]


def test_budget_csv_is_exact_with_bom_and_integer_amounts(client, plan):
    crosswalk, cctv = _items(plan)
    response = client.get(f"/api/v1/plans/{plan.id}/budget.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.decode("utf-8") == BOM + "\r\n".join([
        "item_id,item_title,solution_code,source,year,amount_krw,description",
        f"{crosswalk},스마트 횡단보도 설치,smart_crosswalk,national,2026,600000000,장비",
        f"{crosswalk},스마트 횡단보도 설치,smart_crosswalk,local,2026,600000000,설치",
        f"{crosswalk},스마트 횡단보도 설치,smart_crosswalk,local,2027,150000000,운영",
        f"{cctv},지능형 CCTV,smart_cctv,national,2026,400000000,",
        f"{cctv},지능형 CCTV,smart_cctv,private,2026,50000000,통신사",
    ]) + "\r\n"


def test_kpi_csv_is_exact(client, plan):
    crosswalk, _ = _items(plan)
    text = client.get(f"/api/v1/plans/{plan.id}/kpi-targets.csv").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        ["item_id", "item_title", "kpi_code", "kpi_name", "kpi_name_en", "unit", "unit_en", "direction",
         "baseline_value", "baseline_on", "target_value", "target_on", "method"],
        [str(crosswalk), "스마트 횡단보도 설치", "ped_accidents", "보행자 교통사고 건수", "Pedestrian accidents",
         "건/년", "cases/year", "lower", "12", "2025-12-31", "8.5", "2027-12-31", "경찰청 사고 통계"],
    ]


def test_csv_shows_the_submitted_version_not_later_edits(client, plan, planner):
    line = plan.items[0].budget_lines[0]
    line.amount = 1
    db.session.commit()
    submit(plan, planner)
    first = client.get(f"/api/v1/plans/{plan.id}/budget.csv?version=1").data.decode("utf-8-sig")
    latest = client.get(f"/api/v1/plans/{plan.id}/budget.csv").data.decode("utf-8-sig")
    assert ",national,2026,600000000," in first and ",national,2026,1," not in first
    assert ",national,2026,1,장비" in latest
    db.session.add(BudgetLine(item_id=plan.items[0].id, source="private", amount=7, year=2028))
    db.session.commit()
    assert ",private,2028,7," not in client.get(f"/api/v1/plans/{plan.id}/budget.csv").data.decode("utf-8-sig")


def test_geojson_has_sites_and_reports(client, plan):
    crosswalk, cctv = _items(plan)
    response = client.get(f"/api/v1/plans/{plan.id}/plan.geojson")
    assert response.status_code == 200
    body = response.get_json()
    assert body["type"] == "FeatureCollection"
    sites = [f for f in body["features"] if f["properties"]["kind"] == "site"]
    reports = [f for f in body["features"] if f["properties"]["kind"] == "report"]
    assert sorted((f["properties"]["item"], f["properties"]["name"], f["geometry"]["type"]) for f in sites) == sorted([
        (crosswalk, "초등학교 앞", "Point"), (crosswalk, "통학로", "LineString"), (cctv, "공원", "Polygon")])
    line = next(shape(f["geometry"]) for f in sites if f["geometry"]["type"] == "LineString")
    assert line.coords[0] == pytest.approx((127.04, 37.04), abs=1e-9)
    assert len(reports) == 1
    assert reports[0]["properties"]["votes"] == 2 and reports[0]["properties"]["item"] == crosswalk
    assert shape(reports[0]["geometry"]).equals_exact(shape({"type": "Point", "coordinates": [127.05, 37.05]}), 1e-9)


def test_versions_api_lists_versions_with_totals(client, plan, planner):
    submit(plan, planner)
    body = client.get(f"/api/v1/plans/{plan.id}/versions").get_json()
    assert [v["number"] for v in body["versions"]] == [1, 2]
    assert body["versions"][0]["totals"] == {"national": 1_000_000_000, "local": 750_000_000, "private": 50_000_000,
                                             "total": 1_800_000_000}
    assert body["versions"][0]["submitted_by"] == planner.display_name


@pytest.mark.parametrize("path", ["budget.csv", "kpi-targets.csv", "plan.geojson"])
def test_plan_without_versions_is_404_to_the_public(client, planner, places, resident, sign_in, path):
    plan = make_plan(places["east"], planner)
    assert client.get(f"/api/v1/plans/{plan.id}/{path}").status_code == 404
    assert client.get(f"/plans/{plan.id}").status_code == 404
    sign_in(client, resident)
    assert client.get(f"/api/v1/plans/{plan.id}/{path}").status_code == 404
    assert client.get(f"/api/v1/plans/{plan.id}/{path}?version=draft").status_code == 403


def test_draft_documents_for_planners_only(client, planner, places, sign_in):
    plan = make_plan(places["east"], planner)
    sign_in(client, planner)
    assert client.get(f"/api/v1/plans/{plan.id}/budget.csv").status_code == 404
    text = client.get(f"/api/v1/plans/{plan.id}/budget.csv?version=draft").data.decode("utf-8-sig")
    assert ",national,2026,600000000," in text


def test_unknown_version_and_bad_reference(client, plan):
    assert client.get(f"/api/v1/plans/{plan.id}/budget.csv?version=9").status_code == 404
    response = client.get(f"/api/v1/plans/{plan.id}/budget.csv?version=abc")
    assert response.status_code == 422 and "version" in response.get_json()["error"]["fields"]
    assert client.get("/api/v1/plans/999999/plan.geojson").status_code == 404
