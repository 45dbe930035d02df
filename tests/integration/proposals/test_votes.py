"""Proposal votes: one per user and proposal, withdrawable, only while open or accepted; also under load."""
import pytest
import requests
from sqlalchemy import func, select

from tests.fixtures.crowd import vote_twice_at_once
from webapp.extensions import db
from webapp.models import ProposalVote, Solution
from webapp.proposals import service as proposals

CONCURRENT_USERS = 50


def _rows(proposal_id, user_id=None):
    stmt = select(func.count(ProposalVote.id)).where(ProposalVote.proposal_id == proposal_id)
    if user_id is not None:
        stmt = stmt.where(ProposalVote.user_id == user_id)
    return db.session.scalar(stmt)


def _vote(client, proposal_id, method="post"):
    response = getattr(client, method)(f"/api/v1/proposals/{proposal_id}/vote")
    return response.status_code, response.get_json()


@pytest.fixture
def proposal(resident, add_report):
    report = add_report(resident)
    solution = Solution(code="cctv", name="지능형 CCTV", name_en="Smart CCTV", domain="safety",
                        description="", description_en="")
    db.session.add(solution)
    db.session.commit()
    return proposals.create(resident, {"reports": [report.id], "solution": solution.id, "idea": "",
                                       "reason": "어두워요", "sites": []})


def test_vote_twice_counts_once_and_marks_voted(client, proposal, neighbour, sign_in):
    sign_in(client, neighbour)
    assert _vote(client, proposal.id) == (200, {"votes": 1, "voted": True})
    assert _vote(client, proposal.id) == (200, {"votes": 1, "voted": True})
    props = client.get(f"/api/v1/proposals/{proposal.id}").get_json()["properties"]
    assert props["votes"] == 1 and props["voted"] is True
    assert _rows(proposal.id) == 1


def test_unvote_removes_only_my_vote(client, app, proposal, resident, neighbour, sign_in):
    sign_in(client, neighbour)
    other = sign_in(app.test_client(), resident)
    _vote(client, proposal.id)
    _vote(other, proposal.id)
    assert _vote(client, proposal.id, "delete") == (200, {"votes": 1, "voted": False})
    assert _vote(client, proposal.id, "delete") == (200, {"votes": 1, "voted": False})
    assert _rows(proposal.id, neighbour.id) == 0 and _rows(proposal.id, resident.id) == 1


def test_list_is_most_voted_first_and_counts_rows(client, app, resident, neighbour, proposal, add_report, sign_in):
    second = proposals.create(resident, {"reports": [add_report(resident).id], "solution": None,
                                         "idea": "태양광 벤치", "reason": "쉼터", "sites": []})
    for user in (resident, neighbour):
        _vote(sign_in(app.test_client(), user), second.id)
    _vote(sign_in(app.test_client(), neighbour), proposal.id)
    listed = client.get("/api/v1/proposals").get_json()["features"]
    assert [(f["id"], f["properties"]["votes"]) for f in listed] == [(second.id, 2), (proposal.id, 1)]
    assert _rows(second.id) == 2


@pytest.mark.parametrize("status, allowed", [("accepted", True), ("not_now", False), ("not_feasible", False)])
def test_votes_only_while_open_or_accepted(client, proposal, neighbour, planner, sign_in, status, allowed):
    proposals.answer(planner, proposal.id, {"status": status, "note": "검토 결과"})
    sign_in(client, neighbour)
    code, body = _vote(client, proposal.id)
    if allowed:
        assert code == 200 and body["votes"] == 1
    else:
        assert code == 409 and body["error"]["code"] == "conflict"
        assert _rows(proposal.id) == 0


def test_vote_needs_login_and_known_proposal(client, proposal, neighbour, sign_in):
    assert _vote(client, proposal.id)[0] == 401
    sign_in(client, neighbour)
    assert _vote(client, 999)[0] == 404
    assert _rows(proposal.id) == 0


def test_vote_form_on_the_page(client, proposal, neighbour, sign_in):
    sign_in(client, neighbour)
    assert client.post(f"/proposals/{proposal.id}/vote").status_code == 302
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert '<strong id="vote-count">1</strong>' in page
    client.post(f"/proposals/{proposal.id}/vote", data={"action": "remove"})
    assert _rows(proposal.id) == 0


# --- concurrency over real HTTP -------------------------------------------------------------

def test_fifty_users_voting_concurrently_twice_each_count_fifty(live_server, proposal, places):
    responses = vote_twice_at_once(live_server, f"/api/v1/proposals/{proposal.id}/vote", CONCURRENT_USERS)
    assert [r.status_code for r in responses] == [200] * (2 * CONCURRENT_USERS), \
        [r.text for r in responses if r.status_code != 200][:3]
    assert all(1 <= r.json()["votes"] <= CONCURRENT_USERS and r.json()["voted"] for r in responses)
    shown = requests.get(f"{live_server}/api/v1/proposals/{proposal.id}", timeout=30).json()
    assert shown["properties"]["votes"] == CONCURRENT_USERS
    listed = requests.get(f"{live_server}/api/v1/proposals", timeout=30).json()["features"]
    assert [f["properties"]["votes"] for f in listed] == [CONCURRENT_USERS]
    assert _rows(proposal.id) == CONCURRENT_USERS
    voters = db.session.scalars(select(ProposalVote.user_id).where(ProposalVote.proposal_id == proposal.id)).all()
    assert len(set(voters)) == CONCURRENT_USERS
