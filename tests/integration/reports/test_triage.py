"""Triage: planners move reports through their life cycle; history and audit record who, when and why."""
from datetime import datetime, timedelta, timezone

import pytest
from flask import current_app
from sqlalchemy import select

from webapp.core.fields import load
from webapp.errors import Conflict, Forbidden, ValidationFailed
from webapp.extensions import db
from webapp.models import AuditEvent, Report, StatusChange
from webapp.reports import triage
from webapp.reports.schemas import StatusIn


def _post_status(client, report_id, status, note="", close_reason="", duplicate_of=""):
    """Submit the triage form as the page does: every field present, unused ones empty."""
    return client.post(f"/reports/{report_id}/status", data={
        "status": status, "close_reason": close_reason, "duplicate_of": duplicate_of, "note": note})


def _fresh(report_id) -> Report:
    db.session.expire_all()
    return db.session.get(Report, report_id)


def _change(user, report_id, **data):
    """Triage through the schema and the service, as the route does (messages need a request)."""
    with current_app.test_request_context():
        return triage.change_status(user, report_id, load(StatusIn(), data))


@pytest.fixture
def report(resident, add_report):
    return add_report(resident)


def test_planner_moves_submitted_to_under_review_with_note(client, report, planner, sign_in):
    sign_in(client, planner)
    before = datetime.now(timezone.utc)
    response = _post_status(client, report.id, "under_review", note="현장을 확인하겠습니다.")
    assert response.status_code == 302 and response.location.endswith(f"/reports/{report.id}#history")
    fresh = _fresh(report.id)
    assert fresh.status == "under_review"
    change = fresh.history[-1]
    assert (change.from_status, change.to_status, change.actor_id) == ("submitted", "under_review", planner.id)
    assert change.note == "현장을 확인하겠습니다."
    at = change.created_at if change.created_at.tzinfo else change.created_at.replace(tzinfo=timezone.utc)
    assert before - timedelta(seconds=5) <= at <= datetime.now(timezone.utc) + timedelta(seconds=5)


def test_history_shows_on_the_report_page_and_in_the_api(client, report, planner, sign_in):
    sign_in(client, planner)
    _post_status(client, report.id, "under_review", note="현장을 확인하겠습니다.")
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    history = page[page.index('id="history"'):page.index('id="comments"')]
    assert "현장을 확인하겠습니다." in history and "담당자" in history and "검토 중" in history
    api = client.get(f"/api/v1/reports/{report.id}").get_json()["properties"]["history"]
    assert [(h["from"], h["to"], h["note"]) for h in api] == [
        (None, "submitted", ""), ("submitted", "under_review", "현장을 확인하겠습니다.")]


def test_triage_form_is_shown_to_the_planner_only(client, app, report, planner, neighbour, sign_in):
    sign_in(client, planner)
    assert 'id="triage"' in client.get(f"/reports/{report.id}").get_data(as_text=True)
    other = sign_in(app.test_client(), neighbour)
    assert 'id="triage"' not in other.get(f"/reports/{report.id}").get_data(as_text=True)


def test_planner_of_another_municipality_is_403(client, report, west_planner, sign_in):
    sign_in(client, west_planner)
    response = _post_status(client, report.id, "under_review", note="제가 할게요")
    assert response.status_code == 403
    assert _fresh(report.id).status == "submitted"
    assert db.session.scalars(select(AuditEvent)).all() == []
    with pytest.raises(Forbidden):
        _change(west_planner, report.id, status="under_review")


def test_admin_may_triage_any_municipality(client, resident, admin, add_report, sign_in):
    west = add_report(resident, lon=126.95)
    sign_in(client, admin)
    assert _post_status(client, west.id, "under_review", note="관리자 확인").status_code == 302
    assert _fresh(west.id).status == "under_review"


@pytest.mark.parametrize("start, target", [
    ("submitted", "resolved"), ("submitted", "planned"), ("submitted", "submitted"),
    ("under_review", "submitted"), ("resolved", "closed"), ("closed", "resolved"), ("in_progress", "planned"),
])
def test_illegal_transition_is_409(resident, planner, add_report, start, target):
    report = add_report(resident, status=start)
    with pytest.raises(Conflict) as err:
        _change(planner, report.id, status=target, note="메모", close_reason="not_feasible")
    assert err.value.status == 409
    assert _fresh(report.id).status == start


def test_illegal_transition_on_the_page_changes_nothing_and_says_why(client, report, planner, sign_in):
    sign_in(client, planner)
    response = client.post(f"/reports/{report.id}/status", follow_redirects=True,
                           data={"status": "resolved", "note": "바로 해결"})
    assert "현재 상태에서 해당 상태로 변경할 수 없습니다." in response.get_data(as_text=True)
    assert _fresh(report.id).status == "submitted" and len(_fresh(report.id).history) == 1


def test_legal_path_through_the_whole_life_cycle(report, planner):
    for target in ("under_review", "planned", "in_progress", "resolved"):
        _change(planner, report.id, status=target, note=f"{target} 단계")
    assert [h.to_status for h in _fresh(report.id).history] == [
        "submitted", "under_review", "planned", "in_progress", "resolved"]


def test_closing_requires_a_reason(client, report, planner, sign_in):
    with pytest.raises(ValidationFailed) as err:
        _change(planner, report.id, status="closed", note="불가")
    assert list(err.value.fields) == ["close_reason"]
    sign_in(client, planner)
    page = client.post(f"/reports/{report.id}/status", follow_redirects=True,
                       data={"status": "closed", "close_reason": "", "note": "불가"}).get_data(as_text=True)
    assert "신고를 종료하는 사유를 선택해 주세요." in page
    assert _fresh(report.id).status == "submitted"


def test_closing_requires_a_note(report, planner):
    with pytest.raises(ValidationFailed) as err:
        _change(planner, report.id, status="closed", close_reason="not_feasible", note="  ")
    assert list(err.value.fields) == ["note"]
    assert _fresh(report.id).status == "submitted"


def test_closing_with_reason_and_note(client, report, planner, sign_in):
    sign_in(client, planner)
    _post_status(client, report.id, "closed", note="시 관할이 아닙니다.", close_reason="not_responsible")
    fresh = _fresh(report.id)
    assert (fresh.status, fresh.close_reason) == ("closed", "not_responsible")
    assert fresh.history[-1].close_reason == "not_responsible"


def test_closing_as_duplicate_needs_another_existing_report(client, resident, report, planner, add_report, sign_in):
    for bad in (9999, report.id):
        with pytest.raises(ValidationFailed) as err:
            _change(planner, report.id, status="closed", close_reason="duplicate", duplicate_of=bad, note="중복")
        assert list(err.value.fields) == ["duplicate_of"]
    with pytest.raises(ValidationFailed) as err:
        _change(planner, report.id, status="closed", close_reason="duplicate", note="중복")
    assert list(err.value.fields) == ["duplicate_of"]
    assert _fresh(report.id).status == "submitted"
    original = add_report(resident, title="먼저 신고된 문제")
    sign_in(client, planner)
    _post_status(client, report.id, "closed", note="중복입니다.", close_reason="duplicate",
                 duplicate_of=str(original.id))
    fresh = _fresh(report.id)
    assert (fresh.status, fresh.close_reason, fresh.duplicate_of_id) == ("closed", "duplicate", original.id)
    assert f'href="/reports/{original.id}"' in client.get(f"/reports/{report.id}").get_data(as_text=True)


def test_reporter_reopens_a_resolved_report_with_a_note(client, resident, planner, add_report, sign_in):
    report = add_report(resident, status="resolved")
    sign_in(client, resident)
    response = client.post(f"/reports/{report.id}/reopen", data={"note": "아직 고장나 있어요"})
    assert response.status_code == 302
    fresh = _fresh(report.id)
    assert fresh.status == "under_review"
    last = fresh.history[-1]
    assert (last.from_status, last.to_status, last.actor_id, last.note) == (
        "resolved", "under_review", resident.id, "아직 고장나 있어요")


def test_reopen_needs_a_note(client, resident, add_report, sign_in):
    report = add_report(resident, status="resolved")
    sign_in(client, resident)
    client.post(f"/reports/{report.id}/reopen", data={"note": " "})
    assert _fresh(report.id).status == "resolved"
    with pytest.raises(ValidationFailed) as err:
        triage.reopen(resident, report.id, "  ")
    assert list(err.value.fields) == ["note"]
    assert _fresh(report.id).status == "resolved"


def test_reporter_cannot_reopen_an_open_report(client, report, resident, sign_in):
    sign_in(client, resident)
    assert client.post(f"/reports/{report.id}/reopen", data={"note": "다시"}).status_code == 403
    assert _fresh(report.id).status == "submitted"


def test_another_resident_cannot_reopen(client, resident, neighbour, add_report, sign_in):
    report = add_report(resident, status="resolved")
    sign_in(client, neighbour)
    assert client.post(f"/reports/{report.id}/reopen", data={"note": "저도 불편해요"}).status_code == 403
    assert _fresh(report.id).status == "resolved"


def test_staff_status_change_writes_an_audit_event(client, report, planner, sign_in):
    sign_in(client, planner)
    _post_status(client, report.id, "closed", note="예산 부족", close_reason="not_feasible")
    events = db.session.scalars(select(AuditEvent)).all()
    assert [(e.actor_id, e.action, e.target_type, e.target_id) for e in events] == [
        (planner.id, "report.status", "Report", report.id)]
    assert events[0].data == {"from": "submitted", "to": "closed", "reason": "not_feasible"}


def test_staff_reopen_writes_an_audit_event(resident, planner, add_report):
    report = add_report(resident, status="resolved")
    triage.reopen(planner, report.id, "재점검 필요")
    events = db.session.scalars(select(AuditEvent)).all()
    assert [(e.actor_id, e.action, e.target_id) for e in events] == [(planner.id, "report.reopen", report.id)]
    change = db.session.scalars(select(StatusChange).where(StatusChange.actor_id == planner.id)).one()
    assert change.note == "재점검 필요"
