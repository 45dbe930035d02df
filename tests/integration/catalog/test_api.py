"""Catalogue API: solutions and KPIs in both languages; writes only for catalogue managers."""
import pytest
from sqlalchemy import func, select

from webapp.catalog import service as catalog
from webapp.catalog.csv_io import ensure_catalog
from webapp.extensions import db
from webapp.models import Kpi


@pytest.fixture
def seeded(places):
    ensure_catalog()


def test_solutions_have_both_names_and_a_display_name_in_the_request_language(client, seeded):
    body = client.get("/api/v1/solutions").get_json()
    assert len(body["solutions"]) == 28
    crosswalk = next(s for s in body["solutions"] if s["code"] == "SMART_CROSSWALK")
    assert crosswalk["name"] == "스마트 횡단보도" and crosswalk["name_en"] == "Smart crosswalk"
    assert crosswalk["display_name"] == "스마트 횡단보도"
    assert crosswalk["kpis"] == ["PEDESTRIAN_CASUALTIES", "STOPLINE_VIOLATIONS"]
    english = client.get("/api/v1/solutions/SMART_CROSSWALK?lang=en").get_json()
    assert english["display_name"] == "Smart crosswalk" and english["domain"] == "transport_safety"


def test_solutions_filter_by_domain_and_retired(client, seeded, admin):
    catalog.retire_solution(admin, "DRT")
    transport = client.get("/api/v1/solutions?domain=transport").get_json()["solutions"]
    assert transport and {s["domain"] for s in transport} == {"transport"}
    assert "DRT" not in [s["code"] for s in transport]
    with_retired = client.get("/api/v1/solutions?domain=transport&include_retired=true").get_json()["solutions"]
    assert [s for s in with_retired if s["code"] == "DRT"][0]["retired"] is True
    bad = client.get("/api/v1/solutions?domain=space")
    assert bad.status_code == 422 and "domain" in bad.get_json()["error"]["fields"]
    assert client.get("/api/v1/solutions/NOPE").get_json()["error"]["code"] == "not_found"


def test_kpis_filter_by_theme(client, seeded):
    kpis = client.get("/api/v1/kpis?theme=water&lang=en").get_json()["kpis"]
    assert {k["code"] for k in kpis} == {"NON_REVENUE_WATER", "SMART_WATER_METERS", "DRAINAGE_MONITORED"}
    loss = next(k for k in kpis if k["code"] == "NON_REVENUE_WATER")
    assert loss["display_name"] == "Water supply loss" and loss["standards"] == ["ISO 37120", "U4SSC"]
    assert loss["direction"] == "lower"
    assert len(client.get("/api/v1/kpis").get_json()["kpis"]) == 40
    assert client.get("/api/v1/kpis?theme=space").status_code == 422


NEW_KPI = {"code": "NEW_KPI", "name": "새 지표", "name_en": "New KPI", "unit": "%", "unit_en": "%",
           "direction": "higher", "theme": "energy", "standards": ["local"]}


def test_writes_need_a_catalogue_manager(client, seeded, resident, sign_in):
    response = client.post("/api/v1/kpis", json=NEW_KPI)
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"
    assert client.delete("/api/v1/kpis/RECYCLING_RATE").status_code == 401
    sign_in(client, resident)
    assert client.post("/api/v1/kpis", json={"junk": 1}).status_code == 403
    assert client.post("/api/v1/solutions/DRT/retire").status_code == 403
    assert db.session.scalar(select(func.count(Kpi.id))) == 40


def test_manager_creates_updates_retires_and_deletes(client, seeded, admin, sign_in):
    sign_in(client, admin)
    created = client.post("/api/v1/kpis", json=NEW_KPI)
    assert created.status_code == 201 and created.get_json()["code"] == "NEW_KPI"
    bad = client.post("/api/v1/solutions", json={"code": "X", "name": "x", "name_en": "x", "domain": "energy",
                                                 "description": "d", "kpis": ["NOPE"], "cost_min": 1.5})
    assert bad.status_code == 422 and {"kpis", "cost_min"} <= set(bad.get_json()["error"]["fields"])
    solution = {"code": "NEW_SOL", "name": "새 솔루션", "name_en": "New solution", "domain": "energy",
                "description": "설명", "kpis": ["NEW_KPI"], "cost_min": 10_000_000, "cost_max": 20_000_000}
    assert client.post("/api/v1/solutions", json=solution).status_code == 201
    updated = client.put("/api/v1/solutions/NEW_SOL", json={**solution, "kpis": ["NEW_KPI", "RECYCLING_RATE"]})
    assert updated.get_json()["kpis"] == ["NEW_KPI", "RECYCLING_RATE"]
    assert client.delete("/api/v1/kpis/NEW_KPI").status_code == 204
    assert client.get("/api/v1/solutions/NEW_SOL").get_json()["kpis"] == ["RECYCLING_RATE"]
    assert client.post("/api/v1/solutions/NEW_SOL/retire").get_json()["retired"] is True
    assert client.post("/api/v1/solutions/NEW_SOL/unretire").get_json()["retired"] is False
    assert client.delete("/api/v1/solutions/NEW_SOL").status_code == 204
    assert client.get("/api/v1/solutions/NEW_SOL").status_code == 404
