"""Proposals: validation, the one-municipality rule, permissions, answers with audit, pages."""
import pytest
from shapely.geometry import MultiPoint, shape
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, Proposal, Solution
from webapp.proposals import service as proposals


def make_solution(code="smart-crosswalk", domain="transport_safety", retired=False, name="스마트 횡단보도"):
    solution = Solution(code=code, name=name, name_en=f"{code} (en)", domain=domain,
                        description="설명", description_en="Description", retired=retired)
    db.session.add(solution)
    db.session.commit()
    return solution


@pytest.fixture
def solution(places):
    return make_solution()


@pytest.fixture
def two_reports(resident, add_report):
    return add_report(resident, lon=127.05, lat=37.05), add_report(resident, lon=127.052, lat=37.051)


def _post(client, body):
    response = client.post("/api/v1/proposals", json=body)
    return response.status_code, response.get_json()


def _body(reports, solution=None, **extra):
    body = {"reports": [r.id for r in reports], "reason": "아이들이 위험합니다."}
    if solution is not None:
        body["solution"] = solution.id
    body.update(extra)
    return body


# --- creation ---------------------------------------------------------------------------

def test_create_proposal_for_two_reports_with_sites(client, neighbour, two_reports, solution, sign_in):
    sign_in(client, neighbour)
    code, body = _post(client, _body(two_reports, solution, cost_estimate=35_000_000,
                                     sites=[[127.051, 37.0505], [127.06, 37.06]]))
    assert code == 201, body
    props = body["properties"]
    assert props["reports"] == [r.id for r in two_reports]
    assert props["title"] == "스마트 횡단보도" and props["status"] == "open" and props["votes"] == 0
    assert props["cost_estimate"] == 35_000_000 and props["author"] == "이웃"
    assert shape(body["geometry"]).equals_exact(MultiPoint([(127.051, 37.0505), (127.06, 37.06)]), 1e-7)
    stored = db.session.get(Proposal, props["id"])
    assert stored.municipality.code == "90001" and stored.solution_id == solution.id


def test_idea_without_sites_uses_report_points(client, neighbour, two_reports, sign_in):
    sign_in(client, neighbour)
    code, body = _post(client, _body(two_reports, idea="골목 태양광 가로등"))
    assert code == 201, body
    assert body["properties"]["title"] == "골목 태양광 가로등" and body["properties"]["solution"] is None
    assert shape(body["geometry"]).equals_exact(MultiPoint([(127.05, 37.05), (127.052, 37.051)]), 1e-7)


@pytest.mark.parametrize("change, field", [
    ({"reason": ""}, "reason"),
    ({"reports": []}, "reports"),
    ({"reports": list(range(1, 23))}, "reports"),
    ({"reports": ["abc"]}, "reports"),
    ({"solution": None}, "idea"),
    ({"cost_estimate": -1}, "cost_estimate"),
    ({"cost_estimate": 100_000_000_001}, "cost_estimate"),
    ({"cost_estimate": "many"}, "cost_estimate"),
    ({"cost_estimate": 12.5}, "cost_estimate"),
    ({"cost_estimate": True}, "cost_estimate"),
    ({"cost_estimate": "-5"}, "cost_estimate"),
    ({"sites": [[127.05, 37.05]] * 11}, "sites"),
    ({"sites": [[126.95, 37.05]]}, "sites"),  # in the west municipality
    ({"sites": [["x", 1]]}, "sites"),
    ({"sites": [[500, 37]]}, "sites"),
])
def test_bad_input_is_422_naming_the_field(client, neighbour, two_reports, solution, sign_in, change, field):
    sign_in(client, neighbour)
    body = _body(two_reports, solution)
    body.update(change)
    code, answer = _post(client, body)
    assert code == 422, answer
    assert answer["error"]["code"] == "validation_failed"
    assert field in answer["error"]["fields"], answer
    assert db.session.scalar(select(Proposal.id)) is None


def test_reports_of_two_municipalities_are_refused(client, neighbour, resident, add_report, solution, sign_in):
    east = add_report(resident, lon=127.05, lat=37.05)
    west = add_report(resident, lon=126.95, lat=37.05)
    sign_in(client, neighbour)
    code, body = _post(client, _body([east, west], solution))
    assert code == 422 and "reports" in body["error"]["fields"]


def test_closed_or_unknown_reports_are_refused(client, neighbour, resident, add_report, solution, sign_in):
    closed = add_report(resident, status="resolved")
    sign_in(client, neighbour)
    assert _post(client, _body([closed], solution))[0] == 422
    code, body = _post(client, {"reports": [9999], "solution": solution.id, "reason": "x"})
    assert code == 422 and "reports" in body["error"]["fields"]


def test_retired_or_unknown_solution_is_refused(client, neighbour, two_reports, places, sign_in):
    retired = make_solution("old-cctv", "safety", retired=True)
    sign_in(client, neighbour)
    for solution_id in (retired.id, 9999):
        code, body = _post(client, {**_body(two_reports), "solution": solution_id})
        assert code == 422 and "solution" in body["error"]["fields"], body


def test_validation_messages_follow_the_language(client, neighbour, two_reports, sign_in):
    sign_in(client, neighbour)
    english = client.post("/api/v1/proposals?lang=en", json={"reports": [two_reports[0].id]}).get_json()
    korean = client.post("/api/v1/proposals?lang=ko", json={"reports": [two_reports[0].id]}).get_json()
    assert english["error"]["fields"]["reason"] == ["This field is required."]
    assert korean["error"]["fields"]["reason"] != english["error"]["fields"]["reason"]


def test_create_needs_login(client, two_reports, solution):
    code, body = _post(client, _body(two_reports, solution))
    assert code == 401 and body["error"]["code"] == "unauthorized"


# --- listing -----------------------------------------------------------------------------

def test_list_filters_by_bbox_report_status_and_municipality(client, neighbour, resident, add_report, solution,
                                                              sign_in):
    east_a, east_b = add_report(resident, lon=127.05, lat=37.05), add_report(resident, lon=127.08, lat=37.08)
    west = add_report(resident, lon=126.95, lat=37.05)
    sign_in(client, neighbour)
    p1 = _post(client, _body([east_a], solution))[1]["id"]
    p2 = _post(client, _body([east_b], solution, sites=[[127.01, 37.01]]))[1]["id"]
    p3 = _post(client, _body([west], solution))[1]["id"]

    def ids(query):
        response = client.get(f"/api/v1/proposals?{query}")
        assert response.status_code == 200, response.get_json()
        return {f["id"] for f in response.get_json()["features"]}

    assert ids("") == {p1, p2, p3}
    assert ids("municipality=90002") == {p3}
    assert ids(f"report={east_a.id}") == {p1}
    # p2's site is at 127.01; its report (127.08) does not count once sites are given.
    assert ids("bbox=127.00,37.00,127.02,37.02") == {p2}
    assert ids("bbox=127.04,37.04,127.09,37.09") == {p1}
    assert ids("bbox=126.90,37.00,126.99,37.10") == {p3}
    assert ids("status=accepted") == set()
    bad = client.get("/api/v1/proposals?bbox=1,2,3").get_json()
    assert "bbox" in bad["error"]["fields"]


# --- answers -------------------------------------------------------------------------------

@pytest.fixture
def proposal(neighbour, two_reports, solution):
    return proposals.create(neighbour, {"reports": [r.id for r in two_reports], "solution": solution.id,
                                        "idea": "", "reason": "필요합니다.", "sites": []})


def _answer(client, proposal_id, status="accepted", note="내년 계획에 반영합니다."):
    response = client.post(f"/api/v1/proposals/{proposal_id}/answer", json={"status": status, "note": note})
    return response.status_code, response.get_json()


def test_east_planner_answers_and_it_is_audited(client, proposal, planner, sign_in):
    sign_in(client, planner)
    code, body = _answer(client, proposal.id)
    assert code == 200, body
    assert body["properties"]["status"] == "accepted" and body["properties"]["answer"] == "내년 계획에 반영합니다."
    code, body = _answer(client, proposal.id, "not_now", "예산이 부족합니다.")
    assert code == 200 and body["properties"]["status"] == "not_now"
    db.session.expire_all()
    stored = db.session.get(Proposal, proposal.id)
    assert stored.answered_by_id == planner.id and stored.answered_at is not None
    assert stored.answer_note == "예산이 부족합니다."
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "proposal.answer")
                                .order_by(AuditEvent.id)).all()
    assert [(e.target_type, e.target_id, e.actor_id) for e in events] == [("Proposal", proposal.id, planner.id)] * 2
    assert [e.data["to"] for e in events] == ["accepted", "not_now"]
    assert events[1].data["from"] == "accepted"


def test_admin_may_answer(client, proposal, admin, sign_in):
    sign_in(client, admin)
    assert _answer(client, proposal.id, "not_feasible", "부지가 없습니다.")[0] == 200


@pytest.mark.parametrize("who, status", [("west_planner", 403), ("neighbour", 403), (None, 401)])
def test_others_may_not_answer(client, proposal, request, sign_in, who, status):
    if who:
        sign_in(client, request.getfixturevalue(who))
    code, body = _answer(client, proposal.id)
    assert code == status, body
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).status == "open"
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "proposal.answer")) is None


def test_answer_needs_reason_and_known_status(client, proposal, planner, sign_in):
    sign_in(client, planner)
    code, body = _answer(client, proposal.id, note="")
    assert code == 422 and "note" in body["error"]["fields"]
    code, body = _answer(client, proposal.id, status="open")
    assert code == 422 and "status" in body["error"]["fields"]


def test_west_planner_gets_403_on_the_answer_form_too(client, proposal, west_planner, sign_in):
    sign_in(client, west_planner)
    response = client.post(f"/proposals/{proposal.id}/answer", data={"status": "accepted", "note": "x"})
    assert response.status_code == 403
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert 'id="answer-form"' not in page


# --- anonymity and pages --------------------------------------------------------------------

def test_anonymous_author_hidden_except_to_author_and_staff(app, client, neighbour, resident, planner,
                                                             two_reports, solution, sign_in):
    hidden = proposals.create(neighbour, {"reports": [two_reports[0].id], "solution": solution.id, "idea": "",
                                          "reason": "필요", "sites": [], "anonymous": True})
    url = f"/api/v1/proposals/{hidden.id}"
    assert client.get(url).get_json()["properties"]["author"] is None
    assert "이웃" not in client.get(f"/proposals/{hidden.id}").get_data(as_text=True)
    assert sign_in(app.test_client(), resident).get(url).get_json()["properties"]["author"] is None
    assert sign_in(app.test_client(), neighbour).get(url).get_json()["properties"]["author"] == "이웃"
    assert sign_in(app.test_client(), planner).get(url).get_json()["properties"]["author"] == "이웃"


def test_comment_is_escaped_and_length_limited(client, proposal, resident, sign_in):
    sign_in(client, resident)
    response = client.post(f"/proposals/{proposal.id}/comments", data={"body": "<script>alert(1)</script>"})
    assert response.status_code == 302
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    client.post(f"/proposals/{proposal.id}/comments", data={"body": "x" * 2001})
    db.session.expire_all()
    assert len(db.session.get(Proposal, proposal.id).comments) == 1


def test_comment_needs_login(client, proposal):
    response = client.post(f"/proposals/{proposal.id}/comments", data={"body": "hi"})
    assert response.status_code in (302, 401)
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).comments == []


def test_form_page_prefills_reports_and_lists_nearby(client, resident, neighbour, add_report, solution, sign_in):
    first = add_report(resident, lon=127.05, lat=37.05, title="첫 번째 문제")
    near = add_report(resident, lon=127.052, lat=37.051, title="가까운 문제")
    add_report(resident, lon=127.09, lat=37.09, title="먼 문제")
    sign_in(client, neighbour)
    page = client.get(f"/proposals/new?report={first.id}&solution={solution.id}").get_data(as_text=True)
    assert "첫 번째 문제" in page and "가까운 문제" in page and "먼 문제" not in page
    assert f'value="{solution.id}" selected' in page
    assert f'value="{first.id}" checked' in page
    assert f'value="{near.id}" checked' not in page  # offered, not chosen


def test_form_post_creates_or_shows_errors(client, neighbour, two_reports, solution, sign_in):
    sign_in(client, neighbour)
    bad = client.post("/proposals/new", data={"report": [str(two_reports[0].id)], "solution": "",
                                              "cost_estimate": "abc"})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert 'id="reason-error"' in html and 'id="idea-error"' in html and 'id="cost_estimate-error"' in html
    good = client.post("/proposals/new", data={
        "report": [str(r.id) for r in two_reports], "solution": str(solution.id), "reason": "필요합니다",
        "cost_estimate": "12,000,000", "sites": "127.051,37.0505; 127.052,37.0502",
    })
    assert good.status_code == 302
    stored = db.session.scalars(select(Proposal)).one()
    assert stored.cost_estimate == 12_000_000 and len(stored.reports) == 2


def test_new_page_needs_login(client, two_reports):
    response = client.get(f"/proposals/new?report={two_reports[0].id}")
    assert response.status_code in (302, 401)


def test_pages_show_the_proposal_on_report_pages_and_index(client, proposal, two_reports, planner, sign_in):
    for report in two_reports:
        page = client.get(f"/reports/{report.id}").get_data(as_text=True)
        assert f'href="/proposals/{proposal.id}"' in page and "스마트 횡단보도" in page
    assert f'href="/proposals/{proposal.id}"' in client.get("/proposals/").get_data(as_text=True)
    assert f'/proposals/{proposal.id}"' not in client.get("/proposals/?status=accepted").get_data(as_text=True)
    sign_in(client, planner)
    client.post(f"/proposals/{proposal.id}/answer", data={"status": "accepted", "note": "<b>반영</b> 합니다"})
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "&lt;b&gt;반영&lt;/b&gt; 합니다" in page


def test_unknown_proposal_is_404(client, places):
    assert client.get("/proposals/999").status_code == 404
    assert client.get("/api/v1/proposals/999").get_json()["error"]["code"] == "not_found"
