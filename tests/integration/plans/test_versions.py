"""Plan versions: compare() on constructed snapshots and on real plans; public, versions, compare and print pages."""
import copy
import io
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from tests.fixtures.people import PASSWORD
from tests.fixtures.plans import kpi, make_plan, solution, submit
from webapp.auth import service as users
from webapp.extensions import db
from webapp.models import BudgetLine, KpiTarget, Milestone, PlanItem
from webapp.plans.versions import compare


def _item(id, code, title="항목", budget=(), reports=(), kpis=(), milestones=(), sites=0):
    return {
        "id": id, "title": title, "description": "",
        "solution": {"code": code, "name": code, "name_en": code, "domain": "safety"} if code else None,
        "reports": [{"id": r, "title": f"r{r}", "status": "submitted", "votes": 0, "category": "traffic",
                     "lon": 127.0, "lat": 37.0} for r in reports],
        "proposals": [],
        "sites": [{"id": i, "name": "", "geometry": {"type": "Point", "coordinates": [127.0, 37.0]}}
                  for i in range(sites)],
        "budget": [{"source": s, "amount": a, "year": y, "description": ""} for s, a, y in budget],
        "kpi_targets": [{"kpi": {"code": c, "name": c, "name_en": c, "unit": "", "unit_en": "", "direction": "lower"},
                         "baseline_value": b, "baseline_on": None, "target_value": t, "target_on": None, "method": ""}
                        for c, b, t in kpis],
        "milestones": [{"title": t, "due_on": d} for t, d in milestones],
    }


def _snap(items, title="계획"):
    totals = {"national": 0, "local": 0, "private": 0}
    for item in items:
        for line in item["budget"]:
            totals[line["source"]] += line["amount"]
    totals["total"] = sum(totals.values())
    return {"format": 1, "plan": {"title": title, "summary": "", "goals": ""}, "items": items, "totals": totals}


BASE = _snap([
    _item(1, "cw", "횡단보도", budget=[("national", 100, 2026), ("local", 100, 2026)], reports=[10, 11],
          kpis=[("acc", "12", "8")], milestones=[("설계", "2026-06-30")], sites=2),
    _item(2, "cctv", "CCTV", budget=[("national", 50, 2026)]),
])


def test_identical_snapshots_have_no_changes():
    diff = compare(BASE, copy.deepcopy(BASE))
    assert diff["changed"] is False
    assert [i["status"] for i in diff["items"]] == ["same", "same"]
    assert all(t["delta"] == 0 for t in diff["totals"].values())


def test_changed_fields_are_named():
    after = copy.deepcopy(BASE)
    item = after["items"][0]
    item["title"] = "스마트 횡단보도"
    item["reports"] = item["reports"][1:] + [{**item["reports"][0], "id": 12}]
    item["budget"][1]["amount"] = 160
    item["kpi_targets"][0]["target_value"] = "6"
    item["milestones"].append({"title": "준공", "due_on": "2026-12-01"})
    item["sites"].pop()
    after = _snap(after["items"], title="새 계획")
    diff = compare(BASE, after)
    first = diff["items"][0]
    assert first["status"] == "changed"
    ch = first["changes"]
    assert set(ch) == {"title", "reports", "budget", "budget_totals", "kpi_targets", "milestones", "sites"}
    assert ch["title"] == {"a": "횡단보도", "b": "스마트 횡단보도"}
    assert [r["id"] for r in ch["reports"]["added"]] == [12]
    assert [r["id"] for r in ch["reports"]["removed"]] == [10]
    assert [line["amount"] for line in ch["budget"]["added"]] == [160]
    assert [line["amount"] for line in ch["budget"]["removed"]] == [100]
    assert ch["budget_totals"] == {"local": {"a": 100, "b": 160, "delta": 60}}
    assert ch["kpi_targets"]["changed"][0]["fields"] == ["target_value"]
    assert ch["milestones"]["added"] == [{"title": "준공", "due_on": "2026-12-01"}]
    assert ch["sites"] == {"a": 2, "b": 1}
    assert diff["items"][1]["status"] == "same"
    assert diff["totals"]["local"] == {"a": 100, "b": 160, "delta": 60}
    assert diff["totals"]["total"]["delta"] == 60
    assert diff["plan"] == {"title": {"a": "계획", "b": "새 계획"}}


def test_items_are_matched_by_id_then_by_solution_code():
    # Item 2 was deleted and re-created (new id, same solution): matched by code, not added/removed.
    after = _snap([copy.deepcopy(BASE["items"][0]), {**copy.deepcopy(BASE["items"][1]), "id": 7, "title": "CCTV 2"},
                   _item(8, "bus", "버스 정보")])
    diff = compare(BASE, after)
    assert [(i["status"], (i["a"] or {}).get("id"), (i["b"] or {}).get("id")) for i in diff["items"]] == [
        ("same", 1, 1), ("changed", 2, 7), ("added", None, 8)]
    assert diff["items"][1]["changes"] == {"title": {"a": "CCTV", "b": "CCTV 2"}}


def test_removed_item_and_changed_solution():
    after = _snap([{**copy.deepcopy(BASE["items"][0]), "solution": {"code": "other", "name": "o", "name_en": "o",
                                                                      "domain": "safety"}}])
    diff = compare(BASE, after)
    assert [i["status"] for i in diff["items"]] == ["changed", "removed"]
    assert diff["items"][0]["changes"]["solution"]["b"]["code"] == "other"
    assert diff["totals"]["national"]["delta"] == -50


def test_equal_budget_lines_count_as_a_multiset():
    before = _snap([_item(1, "cw", budget=[("local", 5, 2026), ("local", 5, 2026)])])
    after = _snap([_item(1, "cw", budget=[("local", 5, 2026)])])
    ch = compare(before, after)["items"][0]["changes"]
    assert len(ch["budget"]["removed"]) == 1 and ch["budget"]["added"] == []


@pytest.fixture
def plan(planner, resident, add_report, places):
    plan = make_plan(places["east"], planner, reports=[add_report(resident, title="위험한 횡단보도")])
    submit(plan, planner)
    return plan


def _edit_and_resubmit(plan, planner, resident, add_report):
    extra = add_report(resident, title="새 보고", lon=127.06)
    crosswalk, cctv = plan.items[:2]
    # Deleted before the new item is added: ids are never reused (on SQLite too), so the new item is "added".
    db.session.delete(cctv)
    db.session.flush()
    db.session.add(PlanItem(plan_id=plan.id, solution_id=solution("bis", "버스정보", "Bus info", "transport").id,
                            title="버스 정보 안내", position=3))
    db.session.flush()
    crosswalk.title = "스마트 횡단보도 2단계"
    crosswalk.reports.append(extra)
    crosswalk.budget_lines.append(BudgetLine(source="private", amount=30_000_000, year=2027))
    crosswalk.kpi_targets[0].target_value = Decimal("7")
    crosswalk.kpi_targets.append(KpiTarget(kpi_id=kpi("wait_time", "대기 시간", "Waiting time", "초", "seconds").id,
                                           baseline_value=Decimal("60"), target_value=Decimal("40")))
    crosswalk.milestones.append(Milestone(title="운영 개시", due_on=date(2027, 1, 15)))
    db.session.commit()
    return submit(plan, planner)


def test_compare_real_versions(client, plan, planner, resident, add_report):
    _edit_and_resubmit(plan, planner, resident, add_report)
    body = client.get(f"/api/v1/plans/{plan.id}/compare?a=1&b=2").get_json()
    assert [i["status"] for i in body["items"]] == ["changed", "removed", "added"]
    ch = body["items"][0]["changes"]
    assert set(ch) == {"title", "reports", "budget", "budget_totals", "kpi_targets", "milestones"}
    assert [t["kpi"]["code"] for t in ch["kpi_targets"]["added"]] == ["wait_time"]
    assert ch["kpi_targets"]["changed"][0]["b"]["target_value"] == "7"
    assert body["totals"]["private"] == {"a": 50_000_000, "b": 30_000_000, "delta": -20_000_000}


def test_compare_page_highlights_changes(client, plan, planner, resident, add_report):
    _edit_and_resubmit(plan, planner, resident, add_report)
    page = client.get(f"/plans/{plan.id}/compare?a=1&b=2", headers={"Accept-Language": "ko"}).get_data(as_text=True)
    assert 'data-status="added"' in page and 'data-status="removed"' in page and 'data-status="changed"' in page
    assert 'data-field="title"' in page and "스마트 횡단보도 2단계" in page
    assert 'data-field="kpi_targets"' in page and 'data-field="milestones"' in page


def test_draft_comparison_needs_draft_access(client, plan, planner, resident, sign_in):
    plan.items[0].title = "초안에서 바꾼 제목"
    db.session.commit()
    assert client.get(f"/plans/{plan.id}/compare?a=1&b=draft").status_code == 401
    sign_in(client, resident)
    assert client.get(f"/api/v1/plans/{plan.id}/compare?a=1&b=draft").status_code == 403
    consultant = users.create_account("c@example.org", "자문위원", PASSWORD,
                                      roles=["consultant"], municipality=plan.municipality)
    other = sign_in(client.application.test_client(), consultant)
    body = other.get(f"/api/v1/plans/{plan.id}/compare?a=1&b=draft").get_json()
    assert body["items"][0]["changes"]["title"]["b"] == "초안에서 바꾼 제목"
    assert "초안에서 바꾼 제목" in other.get(f"/plans/{plan.id}/compare?a=1&b=draft").get_data(as_text=True)


def test_compare_needs_both_references(client, plan):
    response = client.get(f"/api/v1/plans/{plan.id}/compare?a=1")
    assert response.status_code == 422 and set(response.get_json()["error"]["fields"]) == {"b"}
    assert client.get(f"/plans/{plan.id}/compare?a=1&b=5").status_code == 404


def test_public_page_shows_latest_version(client, plan, planner, resident, add_report):
    page = client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert "동시 스마트 안전 계획" in page and "스마트 횡단보도 설치" in page and "위험한 횡단보도" in page
    assert "50.00 %" not in page  # 1,000,000,000 of 1,800,000,000 national
    assert "55.56 %" in page
    assert "600,000,000" in page and "경찰청 사고 통계" in page and "건/년" in page
    _edit_and_resubmit(plan, planner, resident, add_report)
    page = client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert "스마트 횡단보도 2단계" in page and "지능형 CCTV" not in page
    old = client.get(f"/plans/{plan.id}?version=1").get_data(as_text=True)
    assert "지능형 CCTV" in old and "스마트 횡단보도 2단계" not in old


def test_public_page_in_english(client, plan):
    page = client.get(f"/plans/{plan.id}?lang=en").get_data(as_text=True)
    assert "cases/year" in page and "Smart crosswalk" in page and "KRW" in page


def test_unsubmitted_plan_points_staff_to_the_draft(client, planner, places, sign_in):
    plan = make_plan(places["east"], planner, title="초안 계획")
    assert client.get(f"/plans/{plan.id}").status_code == 404
    assert client.get(f"/plans/{plan.id}/versions").status_code == 404
    sign_in(client, planner)
    response = client.get(f"/plans/{plan.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/plans/{plan.id}/consultation")
    assert client.get(f"/plans/{plan.id}/versions").status_code == 200


def test_versions_page_lists_history(client, plan, planner, resident, add_report):
    _edit_and_resubmit(plan, planner, resident, add_report)
    page = client.get(f"/plans/{plan.id}/versions").get_data(as_text=True)
    assert 'data-version="1"' in page and 'data-version="2"' in page and 'data-version="draft"' not in page
    assert planner.display_name in page and "1,800,000,000" in page


def test_print_page_renders_the_version(client, plan):
    response = client.get(f"/plans/{plan.id}/print")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "동시 스마트 안전 계획" in page and "@media print" not in page and "plan-public.css" in page
    assert "초등학교 앞 (Point)" in page and "통학로 (LineString)" in page


def test_pdf_download(client, plan):
    response = client.get(f"/plans/{plan.id}/plan.pdf")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    # The document's <title> becomes the PDF's title (tests/integration/test_plan_pdf.py reads its text).
    assert PdfReader(io.BytesIO(response.data)).metadata.title.startswith("동시 스마트 안전 계획")
