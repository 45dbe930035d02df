"""Votes: one per user and report, withdrawable, only on open reports; also under concurrent load."""
import pytest
import requests
from sqlalchemy import func, select

from tests.fixtures.crowd import vote_twice_at_once
from tests.fixtures.people import PASSWORD
from webapp.auth import service as users
from webapp.extensions import db
from webapp.models import Vote

CONCURRENT_USERS = 50


def _rows(report_id, user_id=None):
    stmt = select(func.count(Vote.id)).where(Vote.report_id == report_id)
    if user_id is not None:
        stmt = stmt.where(Vote.user_id == user_id)
    return db.session.scalar(stmt)


def _vote(client, report_id, method="post"):
    response = getattr(client, method)(f"/api/v1/reports/{report_id}/vote")
    return response.status_code, response.get_json()


@pytest.fixture
def report(resident, add_report):
    return add_report(resident)


def test_vote_counts_and_marks_voted(client, report, neighbour, sign_in):
    sign_in(client, neighbour)
    assert _vote(client, report.id) == (200, {"votes": 1, "voted": True})
    props = client.get(f"/api/v1/reports/{report.id}").get_json()["properties"]
    assert props["votes"] == 1 and props["voted"] is True
    assert _rows(report.id, neighbour.id) == 1


def test_vote_twice_counts_once(client, report, neighbour, sign_in):
    sign_in(client, neighbour)
    assert _vote(client, report.id) == (200, {"votes": 1, "voted": True})
    assert _vote(client, report.id) == (200, {"votes": 1, "voted": True})
    assert _rows(report.id) == 1


def test_unvote_removes_only_my_vote(client, app, report, resident, neighbour, sign_in):
    sign_in(client, neighbour)
    other = sign_in(app.test_client(), resident)
    _vote(client, report.id)
    _vote(other, report.id)
    assert _vote(client, report.id, "delete") == (200, {"votes": 1, "voted": False})
    assert _rows(report.id, neighbour.id) == 0 and _rows(report.id, resident.id) == 1
    # Withdrawing again changes nothing.
    assert _vote(client, report.id, "delete") == (200, {"votes": 1, "voted": False})
    assert client.get(f"/api/v1/reports/{report.id}").get_json()["properties"]["voted"] is False


def test_count_equals_number_of_vote_rows(client, app, report, places):
    voters = [users.register(f"voter{i}@example.org", f"투표자{i}", PASSWORD) for i in range(4)]
    for expected, voter in enumerate(voters, start=1):
        c = app.test_client()
        c.post("/auth/login", data={"email": voter.email, "password": PASSWORD})
        assert _vote(c, report.id) == (200, {"votes": expected, "voted": True})
    assert _rows(report.id) == 4
    assert client.get(f"/api/v1/reports/{report.id}").get_json()["properties"]["votes"] == 4
    listed = client.get("/api/v1/reports").get_json()["features"]
    assert [f["properties"]["votes"] for f in listed] == [4]


def test_votes_are_counted_per_report(client, resident, neighbour, add_report, sign_in):
    first, second = add_report(resident), add_report(resident)
    sign_in(client, neighbour)
    _vote(client, first.id)
    votes = {f["id"]: f["properties"]["votes"] for f in client.get("/api/v1/reports").get_json()["features"]}
    assert votes == {first.id: 1, second.id: 0}


@pytest.mark.parametrize("status", ["closed", "resolved"])
def test_vote_for_a_finished_report_is_409(client, resident, neighbour, add_report, sign_in, status):
    finished = add_report(resident, status=status)
    sign_in(client, neighbour)
    code, body = _vote(client, finished.id)
    assert code == 409 and body["error"]["code"] == "conflict"
    assert _rows(finished.id) == 0


def test_vote_needs_login(client, report):
    code, body = _vote(client, report.id)
    assert code == 401 and body["error"]["code"] == "unauthorized"
    assert _rows(report.id) == 0


def test_vote_for_unknown_report_is_404(client, neighbour, sign_in, places):
    sign_in(client, neighbour)
    code, body = _vote(client, 999)
    assert code == 404 and body["error"]["code"] == "not_found"


# --- concurrency over real HTTP -------------------------------------------------------------

def test_fifty_users_voting_concurrently_twice_each_count_fifty(live_server, report, places):
    responses = vote_twice_at_once(live_server, f"/api/v1/reports/{report.id}/vote", CONCURRENT_USERS)
    assert [r.status_code for r in responses] == [200] * (2 * CONCURRENT_USERS), \
        [r.text for r in responses if r.status_code != 200][:3]
    assert all(1 <= r.json()["votes"] <= CONCURRENT_USERS and r.json()["voted"] for r in responses)
    shown = requests.get(f"{live_server}/api/v1/reports/{report.id}", timeout=30).json()
    assert shown["properties"]["votes"] == CONCURRENT_USERS
    assert _rows(report.id) == CONCURRENT_USERS
    voters = db.session.scalars(select(Vote.user_id).where(Vote.report_id == report.id)).all()
    assert len(set(voters)) == CONCURRENT_USERS
