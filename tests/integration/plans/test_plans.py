"""Plans: services, API, permissions, validation, submission and the report page."""
from datetime import datetime, timedelta, timezone

import pytest
from shapely.geometry import shape

from tests.fixtures.people import login
from webapp.calls import service as calls
from webapp.core.time import utcnow
from webapp.extensions import db
from webapp.models import AuditEvent, Call, Kpi, Plan, PlanVersion, Report, Solution
from webapp.plans import service as plans, submit as plan_submit


@pytest.fixture
def call(admin):
    now = utcnow()
    return calls.create(admin, {"title": "2025 공모", "year": 2025, "opens_at": now - timedelta(days=1),
                                "closes_at": now + timedelta(days=30)})


@pytest.fixture
def catalog(places):
    solution = Solution(code="S1", name="스마트 가로등", name_en="Smart streetlight", domain="safety",
                        description="", description_en="")
    kpi = Kpi(code="K1", name="야간 사고", name_en="Night accidents", unit="건", unit_en="cases", theme="safety",
              direction="decrease", standards="")
    db.session.add_all([solution, kpi])
    db.session.commit()
    return {"solution": solution, "kpi": kpi}


@pytest.fixture
def plan(planner, call):
    return plans.create(planner, {"call": call.id, "title": "동시 스마트 안전"})


def good_item(report_ids, catalog, national="1,000,000,000", local="1,000,000,000", milestone=None):
    start, _ = calls.build_period(db.session.query(Call).first())
    return {
        "title": "스마트 가로등", "solution": catalog["solution"].id, "reports": report_ids,
        "sites": [{"name": "골목",
                   "geometry": {"type": "LineString", "coordinates": [[127.01, 37.01], [127.02, 37.02]]}}],
        "budget_lines": [{"source": "national", "amount": national, "year": 2025},
                         {"source": "local", "amount": local, "year": 2025}],
        "kpi_targets": [{"kpi": catalog["kpi"].id, "baseline_value": "12.5", "target_value": "6",
                         "baseline_on": "2024-12-31", "target_on": "2026-12-31", "method": "경찰 통계"}],
        "milestones": [{"title": "설치", "due_on": (milestone or start + timedelta(days=30)).isoformat()}],
    }


def api_item(client, plan_id, body):
    return client.post(f"/api/v1/plans/{plan_id}/items", json=body)


def test_planner_builds_checks_and_submits_through_the_api(client, planner, resident, plan, catalog, add_report):
    report = add_report(resident)
    login(client, planner)
    response = api_item(client, plan.id, good_item([report.id], catalog))
    assert response.status_code == 201, response.get_json()
    item = response.get_json()
    # The item has the snapshot's shape, with the ids a client writes back.
    assert item["budget"][0]["amount"] == 1_000_000_000
    assert item["kpi_targets"][0]["baseline_value"] == "12.5"
    assert item["solution"]["id"] == catalog["solution"].id and item["solution"]["code"] == "S1"
    assert item["kpi_targets"][0]["kpi"]["id"] == catalog["kpi"].id
    assert [(r["id"], r["votes"]) for r in item["reports"]] == [(report.id, 0)]
    assert shape(item["sites"][0]["geometry"]).equals_exact(shape(
        {"type": "LineString", "coordinates": [[127.01, 37.01], [127.02, 37.02]]}), 1e-9)
    check = client.get(f"/api/v1/plans/{plan.id}/check").get_json()
    assert check["violations"] == [] and check["can_submit"] is True
    assert check["totals"] == {"national": 1_000_000_000, "local": 1_000_000_000, "private": 0, "total": 2_000_000_000}
    submitted = client.post(f"/api/v1/plans/{plan.id}/submit")
    assert submitted.status_code == 201 and submitted.get_json()["version"] == 1
    db.session.expire_all()
    report = db.session.get(Report, report.id)
    assert report.status == "planned"
    assert report.history[-1].to_status == "planned" and "동시 스마트 안전" in report.history[-1].note
    version = db.session.query(PlanVersion).one()
    assert version.snapshot["totals"]["total"] == 2_000_000_000
    assert db.session.query(AuditEvent).filter_by(action="plan.submit").count() == 1
    # Editing after submission starts a new draft; the next submission is version 2.
    assert client.patch(f"/api/v1/plans/{plan.id}", json={"summary": "고침"}).get_json()["status"] == "draft"
    assert client.post(f"/api/v1/plans/{plan.id}/submit").get_json()["version"] == 2
    assert db.session.query(PlanVersion).count() == 2


def test_sixty_percent_national_refuses_submission_with_every_violation(client, planner, resident, plan, catalog,
                                                                        add_report):
    report = add_report(resident)
    login(client, planner)
    body = good_item([report.id], catalog, national="1,200,000,000", local="800,000,000")
    body["solution"] = None
    api_item(client, plan.id, body)
    response = client.post(f"/api/v1/plans/{plan.id}/submit")
    assert response.status_code == 422
    error = response.get_json()["error"]
    messages = error["fields"]["violations"]
    assert len(messages) == 2 and any("60" in m for m in messages)
    # The refusal keeps the codes and numbers beside the messages, in the same order.
    item_id = plan.items[0].id
    assert error["details"]["violations"] == [
        {"code": "national_share", "params": {"share_bp": 6000, "max_bp": 5000}, "item_id": None},
        {"code": "no_solution", "params": {"n": 1, "title": "스마트 가로등"}, "item_id": item_id}]
    db.session.expire_all()
    assert db.session.query(PlanVersion).count() == 0
    assert db.session.get(Report, report.id).status == "submitted"


def test_preview_check_of_typed_amounts_changes_nothing(client, planner, resident, west_planner, plan, catalog,
                                                       add_report):
    report = add_report(resident)
    login(client, planner)
    api_item(client, plan.id, good_item([report.id], catalog))
    url = f"/api/v1/plans/{plan.id}/check"
    typed = client.post(url, json={"national": "1,200,000,000", "local": "800,000,000", "private": "0"}).get_json()
    assert [v["code"] for v in typed["violations"]] == ["national_share"]
    assert typed["totals"]["total"] == 2_000_000_000 and typed["preview"] is True and typed["can_submit"] is False
    assert typed["national_share_bp"] == 6000 and typed["shown"]["national_share"] == "60.00 %"
    exactly_half = client.post(url, json={"national": 1_000_000_000, "local": 1_000_000_000, "private": 0}).get_json()
    assert exactly_half["violations"] == [] and exactly_half["can_submit"] is False
    assert exactly_half["shown"]["national_share"] == "50.00 %"
    bad = client.post(url, json={"national": "1.5e9", "local": "0", "private": "0"})
    assert bad.status_code == 422 and "national" in bad.get_json()["error"]["fields"]
    # Nothing was saved by the previews.
    saved = client.get(url).get_json()
    assert saved["totals"]["national"] == 1_000_000_000 and saved["can_submit"] is True
    login(client, west_planner)
    assert client.post(url, json={"national": 1, "local": 1, "private": 0}).status_code == 403


def test_a_hair_over_half_is_one_share_in_the_check_and_its_violation(client, planner, resident, plan, catalog,
                                                                       add_report):
    # 2,000,000,001 of 4,000,000,000 is 50.0000000025 %: the check, its totals and its message all say 50.01 %.
    report = add_report(resident)
    login(client, planner)
    api_item(client, plan.id, good_item([report.id], catalog))
    typed = {"national": "2,000,000,001", "local": "1,999,999,999", "private": "0"}
    check = client.post(f"/api/v1/plans/{plan.id}/check?lang=en", json=typed).get_json()
    # (one won over the national amount limit of 2,000,000,000 too)
    assert [v["code"] for v in check["violations"]] == ["national_share", "national_amount"]
    violation = check["violations"][0]
    assert violation["params"] == {"share_bp": 5001, "max_bp": 5000}
    assert check["national_share_bp"] == 5001
    assert check["shown"] == {"national": "2,000,000,001", "local": "1,999,999,999", "private": "0",
                              "total": "4,000,000,000", "national_share": "50.01 %"}
    assert violation["message"] == "National money is 50.01 % of the budget; the call allows at most 50 %."
    # A share that rounds to the limit is within it: no violation beside "50.00 %".
    typed = {"national": "1,999,999,999", "local": "2,000,000,001", "private": "0"}
    check = client.post(f"/api/v1/plans/{plan.id}/check", json=typed).get_json()
    assert check["violations"] == [] and check["shown"]["national_share"] == "50.00 %"


def test_submission_after_the_window_is_refused(client, planner, resident, plan, catalog, add_report):
    report = add_report(resident)
    login(client, planner)
    api_item(client, plan.id, good_item([report.id], catalog))
    with pytest.raises(Exception) as refused:
        plan_submit.submit(planner, plan.id, now=plan.call.closes_at)
    assert [str(m) for m in refused.value.fields["violations"]][0].startswith(("The call closed", "공모"))
    assert plan_submit.submit(planner, plan.id, now=plan.call.closes_at - timedelta(microseconds=1)).number == 1


def test_amounts_refuse_floats_and_exponents(client, planner, resident, plan, catalog, add_report):
    report = add_report(resident)
    login(client, planner)
    for bad in ("1.5e9", "12.5", 12.5):
        response = api_item(client, plan.id, good_item([report.id], catalog, national=bad))
        assert response.status_code == 422
        assert "amount" in response.get_json()["error"]["fields"]["budget_lines"]["0"]


def test_kpi_values_refuse_floats(client, planner, resident, plan, catalog, add_report):
    login(client, planner)
    body = good_item([add_report(resident).id], catalog)
    body["kpi_targets"][0]["baseline_value"] = 0.1
    response = api_item(client, plan.id, body)
    assert response.status_code == 422 and "kpi_targets" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("geometry,ok", [
    ({"type": "Point", "coordinates": [127.05, 37.05]}, True),
    ({"type": "Polygon", "coordinates": [[[127.01, 37.01], [127.02, 37.01], [127.02, 37.02], [127.01, 37.01]]]}, True),
    ({"type": "Point", "coordinates": [126.95, 37.05]}, False),  # in the west municipality
    ({"type": "Polygon",
      "coordinates": [[[127.01, 37.01], [127.02, 37.02], [127.02, 37.01], [127.01, 37.02], [127.01, 37.01]]]}, False),
    ({"type": "MultiPoint", "coordinates": [[127.05, 37.05]]}, False),
])
def test_sites_must_be_valid_simple_shapes_inside_the_municipality(client, planner, resident, plan, catalog, add_report,
                                                                   geometry, ok):
    login(client, planner)
    body = good_item([add_report(resident).id], catalog)
    body["sites"] = [{"geometry": geometry}]
    response = api_item(client, plan.id, body)
    assert response.status_code == (201 if ok else 422)
    if not ok:
        assert "sites" in response.get_json()["error"]["fields"]


def test_links_only_open_reports_of_the_municipality(client, planner, resident, plan, catalog, add_report):
    west = add_report(resident, lon=126.95)
    closed = add_report(resident, status="resolved")
    login(client, planner)
    for bad in (west.id, closed.id, 999):
        response = api_item(client, plan.id, good_item([bad], catalog))
        assert response.status_code == 422 and "reports" in response.get_json()["error"]["fields"]
    assert db.session.query(Plan).one().items == []


def test_permissions(app, client, planner, west_planner, resident, plan, catalog, add_report):
    body = good_item([add_report(resident).id], catalog)
    assert api_item(client, plan.id, body).status_code == 401
    assert client.get(f"/api/v1/plans/{plan.id}").status_code == 401
    login(client, resident)
    assert api_item(client, plan.id, body).status_code == 403
    assert client.get(f"/api/v1/plans/{plan.id}").status_code == 403
    assert client.post(f"/api/v1/plans/{plan.id}/submit").status_code == 403
    west = login(app.test_client(), west_planner)
    assert api_item(west, plan.id, body).status_code == 403
    assert west.patch(f"/api/v1/plans/{plan.id}", json={"title": "x"}).status_code == 403
    assert west.get(f"/api/v1/plans/{plan.id}/check").status_code == 403
    assert client.get("/api/v1/plans").get_json()["plans"] == []


def test_create_validation_and_one_plan_per_call(client, planner, call):
    login(client, planner)
    response = client.post("/api/v1/plans", json={"call": call.id})
    assert response.status_code == 422 and "title" in response.get_json()["error"]["fields"]
    assert client.post("/api/v1/plans", json={"call": call.id, "title": "a"}).status_code == 201
    assert client.post("/api/v1/plans", json={"call": call.id, "title": "b"}).status_code == 409


def test_plan_only_for_an_open_call(client, planner, admin):
    closed = calls.create(admin, {"title": "지난", "year": 2020, "opens_at": datetime(2020, 1, 1, tzinfo=timezone.utc),
                                  "closes_at": datetime(2020, 2, 1, tzinfo=timezone.utc)})
    login(client, planner)
    response = client.post("/api/v1/plans", json={"call": closed.id, "title": "늦음"})
    assert response.status_code == 422 and "call" in response.get_json()["error"]["fields"]


def test_item_update_and_remove(client, planner, resident, plan, catalog, add_report):
    login(client, planner)
    item = api_item(client, plan.id, good_item([add_report(resident).id], catalog)).get_json()
    patched = client.patch(f"/api/v1/plans/{plan.id}/items/{item['id']}",
                           json={"budget_lines": [{"source": "private", "amount": "1,333,333,333", "year": 2026}]})
    assert patched.status_code == 200 and patched.get_json()["budget"] == [
        {"source": "private", "amount": 1_333_333_333, "year": 2026, "description": ""}]
    assert patched.get_json()["reports"] == item["reports"]
    assert client.delete(f"/api/v1/plans/{plan.id}/items/{item['id']}").status_code == 204
    assert client.get(f"/api/v1/plans/{plan.id}").get_json()["items"] == []


def test_web_editor_forms_and_report_page(client, planner, resident, plan, catalog, add_report):
    report = add_report(resident)
    login(client, planner)
    page = client.get(f"/plans/{plan.id}/edit")
    assert page.status_code == 200 and 'data-code="no_items"' in page.get_data(as_text=True)
    form = {"title": "가로등", "solution": str(catalog["solution"].id), "reports": [str(report.id)],
            "budget_lines-0-source": "national", "budget_lines-0-year": "2025",
            "budget_lines-0-amount": "1,000,000,000",
            "budget_lines-1-source": "local", "budget_lines-1-year": "2025", "budget_lines-1-amount": "1,000,000,000",
            "budget_lines-2-source": "national", "budget_lines-2-year": "2025", "budget_lines-2-amount": "",
            "kpi_targets-0-kpi": str(catalog["kpi"].id), "kpi_targets-0-baseline_value": "10",
            "kpi_targets-0-target_value": "5", "milestones-0-title": "", "milestones-0-due_on": "",
            "sites": '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},'
                     '"geometry":{"type":"Point","coordinates":[127.05,37.05]}}]}'}
    bad = client.post(f"/plans/{plan.id}/items", data={**form, "budget_lines-0-amount": "12.5"})
    assert bad.status_code == 422 and 'value="12.5"' in bad.get_data(as_text=True)
    assert client.post(f"/plans/{plan.id}/items", data=form).status_code == 302
    db.session.expire_all()
    item = db.session.get(Plan, plan.id).items[0]
    assert [int(b.amount) for b in item.budget_lines] == [1_000_000_000, 1_000_000_000]
    assert client.post(f"/plans/{plan.id}/submit").status_code == 302
    shown = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "plan-included" in shown and "동시 스마트 안전" in shown


def test_index_lists_public_plans_and_own_drafts(client, app, planner, west_planner, resident, plan):
    login(client, planner)
    assert "동시 스마트 안전" in client.get("/plans/").get_data(as_text=True)
    other = login(app.test_client(), west_planner)
    assert "동시 스마트 안전" not in other.get("/plans/").get_data(as_text=True)
