"""A call's panel: admins assign evaluators, evaluators declare ties and recuse themselves, exclusions follow."""
import pytest
from geoalchemy2.shape import from_shape
from shapely.geometry import MultiPolygon, box

from tests.fixtures.people import grant, login
from tests.fixtures.plans import make_plan, submit
from webapp.evaluation import panel
from webapp.extensions import db
from webapp.models import (
    AuditEvent,
    EvaluatorAssignment,
    EvaluatorExclusion,
    EvaluatorTie,
    Municipality,
    RoleGrant,
    User,
)
from webapp.permissions import can


def _person(email, name, *grants):
    from webapp.auth import service as users

    user = users.register(email, name, "kangaroo-lantern-42")
    for role, place in grants:
        grant(user, role, place)
    return db.session.get(User, user.id)


@pytest.fixture
def evaluator(places):
    return _person("eval@example.org", "평가위원", ("evaluator", None))


@pytest.fixture
def east_consultant(places):
    """An evaluator who also consults for East City."""
    return _person("consult@example.org", "자문 평가위원", ("evaluator", None), ("consultant", places["east"]))


def _plan(call, place, author, submitted=True, title="계획"):
    plan = make_plan(place, author, title=title)
    plan.call_id = call.id
    db.session.commit()
    if submitted:
        submit(plan, author)
    return plan


@pytest.fixture
def plans(call, places, planner, west_planner):
    return {"east": _plan(call, places["east"], planner, title="동시 계획"),
            "west": _plan(call, places["west"], west_planner, title="서시 계획")}


@pytest.fixture
def north(places):
    """A third municipality, whose plan for the call stays a draft."""
    place = Municipality(code="90003", name="북시", name_en="North City", province="시험도",
                         geom=from_shape(MultiPolygon([box(127.00, 37.10, 127.10, 37.20)]), srid=4326))
    db.session.add(place)
    db.session.commit()
    return place


def _assign(client, call, user):
    return client.post(f"/api/v1/calls/{call.id}/evaluators", json={"user": user.id})


def _on_panel(call, *users):
    for user in users:
        db.session.add(EvaluatorAssignment(call_id=call.id, user_id=user.id))
    db.session.commit()


def _fresh(user):
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_admin_assigns_an_evaluator_and_audits_it(client, admin, evaluator, call):
    login(client, admin)
    response = _assign(client, call, evaluator)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["call"] == call.id and body["assigned_by"] == admin.id
    assert body["user"] == {"id": evaluator.id, "display_name": "평가위원", "email": "eval@example.org"}
    assert body["assigned_at"].endswith("+00:00")
    event = db.session.query(AuditEvent).filter_by(action="evaluation.assign").one()
    assert (event.actor_id, event.target_type, event.data) == (
        admin.id, "EvaluatorAssignment", {"call": call.id, "user": evaluator.id})
    again = _assign(client, call, evaluator)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "conflict"
    assert db.session.query(EvaluatorAssignment).count() == 1


def test_a_user_without_the_evaluator_role_cannot_be_assigned(client, admin, resident, planner, call):
    login(client, admin)
    for user in (resident, planner):
        response = _assign(client, call, user)
        assert response.status_code == 422
        assert "user" in response.get_json()["error"]["fields"]
    assert client.post(f"/api/v1/calls/{call.id}/evaluators", json={"user": 999_999}).status_code == 422
    assert client.post(f"/api/v1/calls/{call.id}/evaluators", json={"user": "x"}).status_code == 422
    assert client.post("/api/v1/calls/999999/evaluators", json={"user": resident.id}).status_code == 404
    assert db.session.query(EvaluatorAssignment).count() == 0


def test_admin_unassigns_an_evaluator_and_audits_it(client, admin, evaluator, call):
    login(client, admin)
    _assign(client, call, evaluator)
    response = client.delete(f"/api/v1/calls/{call.id}/evaluators/{evaluator.id}")
    assert response.status_code == 204
    assert db.session.query(EvaluatorAssignment).count() == 0
    assert db.session.query(AuditEvent).filter_by(action="evaluation.unassign").count() == 1
    assert client.delete(f"/api/v1/calls/{call.id}/evaluators/{evaluator.id}").status_code == 404


def test_only_admins_manage_the_panel(app, client, evaluator, planner, call):
    visitor = app.test_client()
    for c, status in ((visitor, 401), (login(client, evaluator), 403)):
        assert c.get(f"/api/v1/calls/{call.id}/evaluators").status_code == status
        assert _assign(c, call, evaluator).status_code == status
        assert c.delete(f"/api/v1/calls/{call.id}/evaluators/{evaluator.id}").status_code == status
    login(client, planner)
    assert _assign(client, call, evaluator).status_code == 403
    assert db.session.query(EvaluatorAssignment).count() == 0


def test_a_consultant_of_the_municipality_is_excluded_automatically(client, admin, east_consultant, call, plans):
    _on_panel(call, east_consultant)
    user = _fresh(east_consultant)
    assert panel.excluded(user, plans["east"]) == "consultant"
    assert not can(user, "evaluation.score", plans["east"])
    assert panel.excluded(user, plans["west"]) is None
    assert can(user, "evaluation.score", plans["west"])


def test_a_planner_grant_excludes_too_and_follows_the_grants(evaluator, call, plans, places):
    _on_panel(call, evaluator)
    assert can(_fresh(evaluator), "evaluation.score", plans["east"])
    grant(evaluator, "planner", places["east"])
    user = _fresh(evaluator)
    assert panel.excluded(user, plans["east"]) == "planner"
    assert not can(user, "evaluation.score", plans["east"])


def test_a_declared_tie_excludes_and_withdrawing_it_lifts_the_exclusion(client, evaluator, call, plans):
    _on_panel(call, evaluator)
    login(client, evaluator)
    response = client.post("/api/v1/me/ties", json={"municipality": "90002", "kind": "advisor", "note": "2024 자문"})
    assert response.status_code == 201, response.get_json()
    tie = response.get_json()
    assert (tie["municipality"]["code"], tie["kind"], tie["note"]) == ("90002", "advisor", "2024 자문")
    assert [t["id"] for t in client.get("/api/v1/me/ties").get_json()] == [tie["id"]]
    user = _fresh(evaluator)
    assert panel.excluded(user, plans["west"]) == "tie"
    assert not can(user, "evaluation.score", plans["west"])
    assert can(user, "evaluation.score", plans["east"])
    assert client.post("/api/v1/me/ties", json={"municipality": "90002", "kind": "advisor"}).status_code == 409

    assert client.delete(f"/api/v1/me/ties/{tie['id']}").status_code == 204
    user = _fresh(evaluator)
    assert panel.excluded(user, plans["west"]) is None and can(user, "evaluation.score", plans["west"])
    assert client.get("/api/v1/me/ties").get_json() == []
    events = db.session.query(AuditEvent).filter(AuditEvent.action.like("evaluation.tie%")).order_by(AuditEvent.id)
    assert [(e.action, e.actor_id, e.data) for e in events] == [
        ("evaluation.tie_declare", evaluator.id, {"municipality": "90002", "kind": "advisor"}),
        ("evaluation.tie_withdraw", evaluator.id, {"municipality": "90002", "kind": "advisor"})]


def test_ties_are_declared_by_evaluators_only_and_withdrawn_only_by_their_owner(app, client, evaluator, resident,
                                                                               places):
    visitor = app.test_client()
    assert visitor.get("/api/v1/me/ties").status_code == 401
    assert visitor.post("/api/v1/me/ties", json={"municipality": "90001", "kind": "member"}).status_code == 401
    login(client, resident)
    assert client.get("/api/v1/me/ties").status_code == 403
    assert client.post("/api/v1/me/ties", json={"municipality": "90001", "kind": "member"}).status_code == 403
    other = _person("other@example.org", "다른 위원", ("evaluator", None))
    tie = EvaluatorTie(user_id=other.id, municipality_id=places["east"].id, kind="member")
    db.session.add(tie)
    db.session.commit()
    login(client, evaluator)
    assert client.delete(f"/api/v1/me/ties/{tie.id}").status_code == 404
    assert client.get("/api/v1/me/ties").get_json() == []
    bad = client.post("/api/v1/me/ties", json={"municipality": "00000", "kind": "friend"})
    assert bad.status_code == 422 and set(bad.get_json()["error"]["fields"]) == {"kind"}
    unknown = client.post("/api/v1/me/ties", json={"municipality": "00000", "kind": "member"})
    assert unknown.status_code == 422 and set(unknown.get_json()["error"]["fields"]) == {"municipality"}
    assert db.session.query(EvaluatorTie).count() == 1


def test_recusal_excludes_and_is_audited(client, evaluator, call, plans):
    _on_panel(call, evaluator)
    login(client, evaluator)
    url = f"/api/v1/calls/{call.id}/plans/{plans['east'].id}/recusal"
    assert client.post(url, json={}).status_code == 422
    response = client.post(url, json={"reason": "지난해 이 계획의 용역 심사에 참여했습니다."})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["kind"] == "recusal" and response.get_json()["plan"] == plans["east"].id
    user = _fresh(evaluator)
    assert panel.excluded(user, plans["east"]) == "recusal"
    assert not can(user, "evaluation.score", plans["east"])
    assert can(user, "evaluation.score", plans["west"])
    assert client.post(url, json={"reason": "다시"}).status_code == 409
    assert db.session.query(EvaluatorExclusion).count() == 1
    event = db.session.query(AuditEvent).filter_by(action="evaluation.recuse").one()
    assert event.actor_id == evaluator.id and event.data["plan"] == plans["east"].id


def test_only_an_evaluator_on_the_panel_recuses_and_only_from_a_plan_of_the_call(client, evaluator, call, plans,
                                                                                places, planner):
    url = f"/api/v1/calls/{call.id}/plans/{plans['east'].id}/recusal"
    login(client, evaluator)
    assert client.post(url, json={"reason": "사유"}).status_code == 403
    _on_panel(call, evaluator)
    other_call_plan = make_plan(places["east"], planner, title="다른 공모 계획")
    assert client.post(f"/api/v1/calls/{call.id}/plans/{other_call_plan.id}/recusal",
                       json={"reason": "사유"}).status_code == 404
    assert db.session.query(EvaluatorExclusion).count() == 0


def test_an_unassigned_evaluator_an_admin_and_a_draft_are_never_scored(admin, evaluator, call, plans, north,
                                                                     planner):
    user = _fresh(evaluator)
    assert not can(user, "evaluation.score", plans["west"])
    assert not can(_fresh(admin), "evaluation.score", plans["west"])
    _on_panel(call, evaluator)
    user = _fresh(evaluator)
    assert can(user, "evaluation.score", plans["west"])
    draft = _plan(call, north, planner, submitted=False, title="초안")
    assert not can(user, "evaluation.score", draft)


def test_an_assigned_user_who_lost_the_evaluator_role_neither_scores_nor_recuses(client, admin, evaluator, call,
                                                                                plans):
    _on_panel(call, evaluator)
    db.session.query(RoleGrant).filter_by(user_id=evaluator.id, role="evaluator").delete()
    db.session.commit()
    user = _fresh(evaluator)
    assert not can(user, "evaluation.score", plans["west"])
    assert not can(user, "evaluation.recuse", plans["west"])
    login(client, admin)
    members = client.get(f"/api/v1/calls/{call.id}/evaluators").get_json()["evaluators"]
    assert [m["evaluator"] for m in members] == [False]


def test_the_listing_shows_each_submitted_plan_with_its_exclusion_and_reason(client, admin, evaluator,
                                                                           east_consultant, call, plans, places,
                                                                           north, planner):
    login(client, admin)
    _assign(client, call, evaluator)
    _assign(client, call, east_consultant)
    db.session.add(EvaluatorTie(user_id=evaluator.id, municipality_id=places["west"].id, kind="contractor"))
    db.session.add(EvaluatorExclusion(call_id=call.id, plan_id=plans["west"].id, user_id=east_consultant.id,
                                      kind="recusal", reason="친척이 담당자입니다."))
    # A plan of the call that was never submitted is not on the listing.
    _plan(call, north, planner, submitted=False, title="초안")
    body = client.get(f"/api/v1/calls/{call.id}/evaluators").get_json()
    assert body["call"] == call.id
    standing = {m["user"]["id"]: [(p["plan"], p["excluded"], p["reason"], p["detail"]) for p in m["plans"]]
                for m in body["evaluators"]}
    east, west = plans["east"].id, plans["west"].id
    assert standing == {
        evaluator.id: [(east, False, None, None), (west, True, "tie", "contractor")],
        east_consultant.id: [(east, True, "consultant", None), (west, True, "recusal", "친척이 담당자입니다.")],
    }
    assert [m["evaluator"] for m in body["evaluators"]] == [True, True]
    assert body["evaluators"][0]["plans"][0]["municipality"]["code"] == "90001"
