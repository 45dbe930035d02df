"""Calls: admins create and edit them (Seoul window, integer limits, defaults); everyone lists them."""
from datetime import datetime, timezone

import pytest

from tests.fixtures.people import login
from webapp.core.time import as_utc
from webapp.extensions import db
from webapp.models import AuditEvent, Call

BODY = {"title": "2026 소도시 스마트시티", "year": 2026, "opens_at": "2026-03-02T09:00",
        "closes_at": "2026-04-30 18:00"}


def test_admin_creates_call_with_defaults_and_seoul_window(client, admin):
    login(client, admin)
    response = client.post("/api/v1/calls", json=BODY)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["cap_total"] == 4_000_000_000 and body["max_national_share_bp"] == 5000
    assert body["max_national_amount"] == 2_000_000_000 and body["build_months"] == 12 and body["selections"] == 16
    call = db.session.get(Call, body["id"])
    assert as_utc(call.opens_at) == datetime(2026, 3, 2, 0, 0, tzinfo=timezone.utc)
    assert as_utc(call.closes_at) == datetime(2026, 4, 30, 9, 0, tzinfo=timezone.utc)
    assert db.session.query(AuditEvent).filter_by(action="call.create").count() == 1


def test_limits_are_editable_and_amounts_accept_separators(client, admin):
    login(client, admin)
    body = {**BODY, "cap_total": "1,500,000,000", "max_national_share_percent": "37.5", "build_months": 6}
    created = client.post("/api/v1/calls", json=body).get_json()
    assert created["cap_total"] == 1_500_000_000 and created["max_national_share_bp"] == 3750
    patched = client.patch(f"/api/v1/calls/{created['id']}", json={"max_national_amount": 750_000_000})
    assert patched.status_code == 200 and patched.get_json()["max_national_amount"] == 750_000_000
    assert patched.get_json()["cap_total"] == 1_500_000_000


@pytest.mark.parametrize("amount", ["1.5e9", "12.5", "-3", 12.5, True, "abc"])
def test_amounts_refuse_fractions_and_exponents(client, admin, amount):
    login(client, admin)
    response = client.post("/api/v1/calls", json={**BODY, "cap_total": amount})
    assert response.status_code == 422
    assert "cap_total" in response.get_json()["error"]["fields"]


def test_window_must_close_after_opening(client, admin):
    login(client, admin)
    response = client.post("/api/v1/calls", json={**BODY, "closes_at": BODY["opens_at"]})
    assert response.status_code == 422 and "closes_at" in response.get_json()["error"]["fields"]


def test_only_admins_manage_calls(client, planner, resident, admin):
    assert client.post("/api/v1/calls", json=BODY).status_code == 401
    login(client, planner)
    assert client.post("/api/v1/calls", json=BODY).status_code == 403
    assert db.session.query(Call).count() == 0


def test_call_list_says_whether_open(client, admin, ctx):
    from webapp.calls import service as calls

    calls.create(admin, {"title": "open", "year": 2025, "opens_at": datetime(2000, 1, 1, tzinfo=timezone.utc),
                         "closes_at": datetime(2999, 1, 1, tzinfo=timezone.utc)})
    calls.create(admin, {"title": "closed", "year": 2025, "opens_at": datetime(2000, 1, 1, tzinfo=timezone.utc),
                         "closes_at": datetime(2001, 1, 1, tzinfo=timezone.utc)})
    listed = {c["title"]: c["open"] for c in client.get("/api/v1/calls").get_json()["calls"]}
    assert listed == {"open": True, "closed": False}
    page = client.get("/calls/").get_data(as_text=True)
    assert "open" in page and "closed" in page


def test_admin_creates_and_edits_call_through_the_form(client, admin):
    login(client, admin)
    form = {"title": "웹 공모", "year": "2026", "opens_at": "2026-03-02T09:00", "closes_at": "2026-04-30T18:00",
            "cap_total": "4,000,000,000", "max_national_share_percent": "50", "max_national_amount": "2,000,000,000",
            "selections": "16", "build_months": "12"}
    response = client.post("/calls/new", data=form)
    assert response.status_code == 302
    call = db.session.query(Call).one()
    assert call.cap_total == 4_000_000_000 and call.max_national_share_bp == 5000
    edit = client.get(f"/calls/{call.id}/edit").get_data(as_text=True)
    assert 'value="2026-03-02T09:00"' in edit and "4,000,000,000" in edit
    bad = client.post(f"/calls/{call.id}/edit", data={**form, "cap_total": "12.5"})
    assert bad.status_code == 422
    db.session.expire_all()
    assert db.session.get(Call, call.id).cap_total == 4_000_000_000
    client.post(f"/calls/{call.id}/edit", data={**form, "cap_total": "3,000,000,000"})
    db.session.expire_all()
    assert db.session.get(Call, call.id).cap_total == 3_000_000_000


def test_call_form_is_for_admins_only(client, planner):
    login(client, planner)
    assert client.get("/calls/new").status_code == 403
