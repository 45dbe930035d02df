"""Moderation: residents flag reports, comments and proposals; staff of the municipality hide them with a public
reason (audited, reversible), keep them, and work through a queue of the most-flagged items."""
import json
import re

import pytest
from sqlalchemy import select

from tests.fixtures.plans import make_plan, submit
from webapp.auth import service as users
from webapp.extensions import db
from webapp.models import AuditEvent, Comment, Flag, PlanComment, Proposal, ProposalComment, Report
from webapp.moderation import service as moderation
from webapp.plans import comments as plan_comments
from webapp.proposals import service as proposals
from webapp.reports import triage

THIRD_PASSWORD = "moderation-teapot-7391"
SECRET = "옆집 010-1234-5678 김철수 씨가 범인"
MODELS = {"report": Report, "comment": Comment, "proposal": Proposal, "proposal_comment": ProposalComment,
          "plan_comment": PlanComment}


def _report(add_report, author, **kw):
    return add_report(author, title=kw.pop("title", SECRET), description=kw.pop("description", "자세한 설명 " + SECRET),
                      **kw)


def _proposal(author, report, reason="이유: " + SECRET, idea="아이디어 " + SECRET):
    return proposals.create(author, {"reports": [report.id], "idea": idea, "reason": reason})


def make_item(kind, author, places, add_report, planner):
    """An item of `kind` that `author` wrote in the east city, holding SECRET: (id, public page URL)."""
    if kind == "report":
        report = _report(add_report, author)
        return report.id, f"/reports/{report.id}"
    if kind == "plan_comment":
        plan = make_plan(places["east"], planner)
        submit(plan, planner)
        return plan_comments.comment_public(author, plan.id, SECRET).id, f"/plans/{plan.id}"
    # Comments and proposals sit on a report (and a proposal) that says nothing secret.
    report = _report(add_report, planner, title="골목 가로등 고장", description="밤에 어둡습니다.")
    if kind == "comment":
        return triage.add_comment(author, report.id, SECRET).id, f"/reports/{report.id}"
    if kind == "proposal":
        proposal = _proposal(author, report)
        return proposal.id, f"/proposals/{proposal.id}"
    proposal = _proposal(planner, report, reason="이유", idea="아이디어")
    return proposals.add_comment(author, proposal.id, SECRET).id, f"/proposals/{proposal.id}"


def _flag(client, kind, target_id, reason="abusive", note=""):
    return client.post("/api/v1/flags", json={"kind": kind, "id": target_id, "reason": reason, "note": note})


def _flags(kind, target_id):
    db.session.expire_all()
    return list(db.session.scalars(select(Flag).where(Flag.target_kind == kind, Flag.target_id == target_id)))


def _audit(action):
    return [(e.action, e.target_type, e.target_id, e.data) for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))]


def _map_ids(client, path="/api/v1/reports"):
    return [f["id"] for f in client.get(path).get_json()["features"]]


def test_resident_flags_a_report_once(client, resident, neighbour, add_report, sign_in):
    report = _report(add_report, resident)
    sign_in(client, neighbour)
    first = _flag(client, "report", report.id, "personal_data", "전화번호가 있어요")
    assert first.status_code == 201
    assert first.get_json() == {"kind": "report", "id": report.id, "reason": "personal_data",
                                "note": "전화번호가 있어요", "created": True, "resolved": False}
    again = _flag(client, "report", report.id, "abusive")
    assert again.status_code == 200 and again.get_json()["created"] is False
    assert [(f.user_id, f.reason) for f in _flags("report", report.id)] == [(neighbour.id, "personal_data")]


@pytest.mark.parametrize("body, field", [
    ({"kind": "report", "reason": "spam"}, "reason"),
    ({"kind": "report", "reason": ""}, "reason"),
    ({"kind": "vote", "reason": "abusive"}, "kind"),
    ({"kind": "report", "reason": "abusive", "id": "x"}, "id"),
    ({"kind": "report", "reason": "abusive", "note": "가" * 501}, "note"),
])
def test_flag_reasons_and_kinds_are_validated(client, resident, neighbour, add_report, sign_in, body, field):
    report = _report(add_report, resident)
    sign_in(client, neighbour)
    response = client.post("/api/v1/flags", json={"id": report.id, **body})
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert _flags("report", report.id) == []


def test_anonymous_flag_is_refused(client, resident, add_report):
    report = _report(add_report, resident)
    response = _flag(client, "report", report.id)
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"
    web = client.post(f"/moderation/report/{report.id}/flag", data={"reason": "abusive"})
    assert web.status_code == 302 and "/auth/login" in web.headers["Location"]
    assert _flags("report", report.id) == []


def test_author_cannot_flag_their_own_item(client, resident, add_report, sign_in):
    report = _report(add_report, resident)
    sign_in(client, resident)
    assert _flag(client, "report", report.id).status_code == 403
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert f'id="mod-report-{report.id}"' not in page
    assert _flags("report", report.id) == []


def test_nonexistent_target_is_not_found(client, resident, planner, sign_in):
    sign_in(client, resident)
    assert _flag(client, "comment", 999).status_code == 404
    assert client.post("/moderation/proposal/999/flag", data={"reason": "abusive"}).status_code == 404
    sign_in(client, planner)
    response = client.post("/api/v1/moderation/report/999/hide", json={"reason": "욕설"})
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
    assert client.post("/api/v1/moderation/vote/1/hide", json={"reason": "욕설"}).status_code == 404


def test_planner_of_another_municipality_cannot_moderate(client, resident, neighbour, west_planner, add_report,
                                                         sign_in):
    report = _report(add_report, resident)
    moderation.flag(neighbour, "report", report.id, "abusive")
    sign_in(client, west_planner)
    for action, body in (("hide", {"reason": "욕설"}), ("dismiss", {}), ("unhide", {})):
        response = client.post(f"/api/v1/moderation/report/{report.id}/{action}", json=body)
        assert response.status_code == 403, action
    assert client.post(f"/moderation/report/{report.id}/hide", data={"reason": ""}).status_code == 403
    assert client.get("/api/v1/moderation").get_json()["items"] == []
    db.session.expire_all()
    assert not db.session.get(Report, report.id).hidden
    assert [f.resolved_at for f in _flags("report", report.id)] == [None]


def test_residents_see_no_queue(client, resident, sign_in):
    assert client.get("/api/v1/moderation").status_code == 401
    sign_in(client, resident)
    assert client.get("/api/v1/moderation").status_code == 403
    assert client.get("/moderation/").status_code == 403
    assert 'href="/moderation/"' not in client.get("/").get_data(as_text=True)


def test_planner_hides_a_report_with_a_public_reason(client, app, resident, neighbour, planner, add_report, sign_in):
    report = _report(add_report, resident)
    other = _report(add_report, resident, title="다른 문제", description="보통 설명", lon=127.0501)
    moderation.flag(neighbour, "report", report.id, "personal_data", "전화번호")
    assert set(_map_ids(client)) == {report.id, other.id}

    staff = app.test_client()
    sign_in(staff, planner)
    assert 'href="/moderation/"' in staff.get("/").get_data(as_text=True)
    response = staff.post(f"/api/v1/moderation/report/{report.id}/hide", json={"reason": "개인정보 포함"})
    assert response.status_code == 200
    assert response.get_json()["hidden"] is True and response.get_json()["hidden_reason"] == "개인정보 포함"

    # The public page keeps the number and the reason, not the text.
    page = client.get(f"/reports/{report.id}?lang=en")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'data-hidden="report-{report.id}"' in html and "개인정보 포함" in html and "Hidden by moderation" in html
    assert SECRET not in html
    # The map, the nearby check and the detail API no longer show it.
    assert _map_ids(client) == [other.id]
    nearby = client.get("/api/v1/reports/nearby?lat=37.05&lon=127.05&category=traffic").get_json()
    assert [f["id"] for f in nearby["features"]] == [other.id]
    detail = client.get(f"/api/v1/reports/{report.id}").get_json()["properties"]
    assert detail["hidden"] is True and detail["hidden_reason"] == "개인정보 포함"
    assert detail["title"] is None and detail["description"] is None and detail["photos"] == []
    assert SECRET not in client.get(f"/api/v1/reports/{report.id}").get_data(as_text=True)
    assert client.get(f"/api/v1/reports/{report.id}/suggestions").get_json()["suggestions"] == []
    assert client.get(f"/api/v1/reports/{other.id}").get_json()["properties"]["hidden"] is False

    # Staff of the municipality still read it, with the notice and a way back.
    staff_page = staff.get(f"/reports/{report.id}").get_data(as_text=True)
    assert SECRET in staff_page and f'data-hidden="report-{report.id}"' in staff_page
    assert f'action="/moderation/report/{report.id}/unhide"' in staff_page
    assert staff.get(f"/api/v1/reports/{report.id}").get_json()["properties"]["title"] == SECRET

    assert [f.resolved_at is not None for f in _flags("report", report.id)] == [True]
    assert _audit("moderation.hide") == [("moderation.hide", "Report", report.id,
                                          {"kind": "report", "reason": "개인정보 포함", "flags": 1})]
    # Hidden items take no further flags, and hiding twice is a conflict.
    sign_in(client, neighbour)
    assert _flag(client, "report", report.id).status_code == 200  # the neighbour's own flag, as before
    late = app.test_client()
    sign_in(late, users.register("third@example.org", "세번째", THIRD_PASSWORD), THIRD_PASSWORD)
    assert _flag(late, "report", report.id).status_code == 409
    assert staff.post(f"/api/v1/moderation/report/{report.id}/hide", json={"reason": "again"}).status_code == 409


def test_hiding_needs_a_reason(client, resident, neighbour, planner, add_report, sign_in):
    report = _report(add_report, resident)
    sign_in(client, planner)
    response = client.post(f"/api/v1/moderation/report/{report.id}/hide", json={"reason": "  "})
    assert response.status_code == 422 and "reason" in response.get_json()["error"]["fields"]
    assert client.post(f"/api/v1/moderation/report/{report.id}/hide", json={}).status_code == 422
    web = client.post(f"/moderation/report/{report.id}/hide", data={"reason": ""})
    assert web.status_code == 302 and web.headers["Location"].endswith("/moderation/")
    db.session.expire_all()
    assert not db.session.get(Report, report.id).hidden
    assert _audit("moderation.hide") == []


def test_unhide_restores_the_report(client, app, resident, neighbour, planner, add_report, sign_in):
    report = _report(add_report, resident)
    sign_in(client, planner)
    client.post(f"/api/v1/moderation/report/{report.id}/hide", json={"reason": "욕설"})
    assert _map_ids(client) == []
    response = client.post(f"/api/v1/moderation/report/{report.id}/unhide", json={"reason": "오해였음"})
    assert response.status_code == 200 and response.get_json()["hidden"] is False
    assert _map_ids(client) == [report.id]
    public = app.test_client().get(f"/reports/{report.id}").get_data(as_text=True)
    assert SECRET in public and "data-hidden=" not in public
    assert _audit("moderation.unhide") == [("moderation.unhide", "Report", report.id,
                                            {"kind": "report", "reason": "오해였음", "hidden_reason": "욕설",
                                             "flags": 0})]
    assert client.post(f"/api/v1/moderation/report/{report.id}/unhide", json={}).status_code == 409


def test_dismiss_keeps_the_item_and_resolves_its_flags(client, resident, neighbour, planner, add_report, sign_in):
    report = _report(add_report, resident)
    moderation.flag(neighbour, "report", report.id, "abusive")
    sign_in(client, planner)
    assert len(client.get("/api/v1/moderation").get_json()["items"]) == 1
    response = client.post(f"/moderation/report/{report.id}/dismiss")
    assert response.status_code == 302
    assert client.get("/api/v1/moderation").get_json()["items"] == []
    assert [f.resolved_at is not None for f in _flags("report", report.id)] == [True]
    db.session.expire_all()
    assert not db.session.get(Report, report.id).hidden
    assert _audit("moderation.dismiss") == [("moderation.dismiss", "Report", report.id,
                                             {"kind": "report", "flags": 1})]
    assert client.post(f"/api/v1/moderation/report/{report.id}/dismiss").status_code == 409
    # The same resident flagging again does not reopen it (one flag per person and item).
    assert moderation.flag(neighbour, "report", report.id, "abusive")[1] is False
    assert client.get("/api/v1/moderation").get_json()["items"] == []


def test_queue_lists_the_most_flagged_first_with_counts_by_reason(
    client, app, resident, neighbour, planner, admin, add_report, sign_in
):
    third = users.register("third@example.org", "세번째", THIRD_PASSWORD)
    once = _report(add_report, resident, title="한 번 신고됨")
    thrice = _report(add_report, resident, title="세 번 신고됨")
    comment = triage.add_comment(resident, once.id, "댓글 " + SECRET)
    west = _report(add_report, resident, title="서시 문제", lon=126.95)
    moderation.flag(neighbour, "report", once.id, "abusive")
    for who, reason in ((neighbour, "abusive"), (third, "personal_data"), (planner, "personal_data")):
        moderation.flag(who, "report", thrice.id, reason, "메모" if who is third else "")
    moderation.flag(neighbour, "comment", comment.id, "abusive")
    moderation.flag(third, "comment", comment.id, "abusive")
    moderation.flag(neighbour, "report", west.id, "abusive")

    sign_in(client, planner)
    items = client.get("/api/v1/moderation").get_json()["items"]
    assert [(i["kind"], i["id"], i["flags"], i["counts"]) for i in items] == [
        ("report", thrice.id, 3, {"abusive": 1, "personal_data": 2}),
        ("comment", comment.id, 2, {"abusive": 2, "personal_data": 0}),
        ("report", once.id, 1, {"abusive": 1, "personal_data": 0}),
    ]
    assert items[0]["notes"] == ["메모"] and items[1]["url"] == f"/reports/{once.id}#comment-{comment.id}"
    page = client.get("/moderation/").get_data(as_text=True)
    assert page.index(f'id="q-report-{thrice.id}"') < page.index(f'id="q-comment-{comment.id}"') \
        < page.index(f'id="q-report-{once.id}"')
    assert f'id="q-report-{west.id}"' not in page

    admin_client = app.test_client()
    sign_in(admin_client, admin)
    everything = admin_client.get("/api/v1/moderation").get_json()["items"]
    assert {(i["kind"], i["id"]) for i in everything} == {("report", thrice.id), ("comment", comment.id),
                                                         ("report", once.id), ("report", west.id)}


@pytest.mark.parametrize("kind", ["report", "comment", "proposal", "proposal_comment", "plan_comment"])
def test_every_kind_is_flagged_hidden_and_shown_again_through_the_pages(
    client, app, kind, resident, neighbour, planner, places, add_report, sign_in
):
    target_id, url = make_item(kind, resident, places, add_report, planner)
    page = client.get(url).get_data(as_text=True)
    assert SECRET in page

    sign_in(client, neighbour)
    form = client.get(url).get_data(as_text=True)
    assert f'id="mod-{kind}-{target_id}"' in form and f'action="/moderation/{kind}/{target_id}/flag"' in form
    response = client.post(f"/moderation/{kind}/{target_id}/flag", data={"reason": "abusive", "note": "욕설"})
    assert response.status_code == 302 and response.headers["Location"].split("#")[0] == url
    assert [(f.user_id, f.reason, f.note) for f in _flags(kind, target_id)] == [(neighbour.id, "abusive", "욕설")]

    staff = app.test_client()
    sign_in(staff, planner)
    queue = staff.get("/moderation/").get_data(as_text=True)
    assert f'id="q-{kind}-{target_id}"' in queue
    assert staff.post(f"/moderation/{kind}/{target_id}/hide", data={"reason": "욕설이 담겨 있음"}).status_code == 302

    public = app.test_client().get(url).get_data(as_text=True)
    assert f'data-hidden="{kind}-{target_id}"' in public and "욕설이 담겨 있음" in public
    assert SECRET not in public
    assert f'id="mod-{kind}-{target_id}"' not in client.get(url).get_data(as_text=True)  # no flag form on it
    assert SECRET in staff.get(url).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(MODELS[kind], target_id).hidden_reason == "욕설이 담겨 있음"
    assert [e[:3] for e in _audit("moderation.hide")] == [("moderation.hide", MODELS[kind].__name__, target_id)]

    hidden_list = staff.get("/moderation/").get_data(as_text=True)
    assert f'id="h-{kind}-{target_id}"' in hidden_list and f'id="q-{kind}-{target_id}"' not in hidden_list
    assert staff.post(f"/moderation/{kind}/{target_id}/unhide", data={"back": "item"}).headers["Location"] \
        .split("#")[0] == url
    assert SECRET in app.test_client().get(url).get_data(as_text=True)


def test_hidden_proposal_leaves_lists_and_keeps_its_text_out_of_the_api(client, app, resident, neighbour, planner,
                                                                         add_report, sign_in):
    report = _report(add_report, planner, title="골목 가로등 고장", description="밤에 어둡습니다.")
    kept = _proposal(neighbour, report, reason="보통 이유", idea="보통 아이디어")
    hidden = _proposal(resident, report)
    comment = proposals.add_comment(neighbour, kept.id, "댓글 " + SECRET)
    sign_in(client, planner)
    client.post(f"/api/v1/moderation/proposal/{hidden.id}/hide", json={"reason": "중복 게시"})
    client.post(f"/api/v1/moderation/proposal_comment/{comment.id}/hide", json={"reason": "개인정보"})

    public = app.test_client()
    assert _map_ids(public, "/api/v1/proposals") == [kept.id]
    assert f'data-proposal-id="{hidden.id}"' not in public.get("/proposals/").get_data(as_text=True)
    assert f'data-proposal-id="{hidden.id}"' not in public.get(f"/reports/{report.id}").get_data(as_text=True)
    body = public.get(f"/api/v1/proposals/{hidden.id}")
    props = body.get_json()["properties"]
    assert props["hidden"] is True and props["hidden_reason"] == "중복 게시"
    assert props["title"] is None and props["reason"] is None and props["idea"] is None
    assert SECRET not in body.get_data(as_text=True)
    kept_json = public.get(f"/api/v1/proposals/{kept.id}")
    assert SECRET not in kept_json.get_data(as_text=True)
    assert kept_json.get_json()["properties"]["comments"][0]["hidden_reason"] == "개인정보"
    assert client.get(f"/api/v1/proposals/{hidden.id}").get_json()["properties"]["reason"] == "이유: " + SECRET


def test_hidden_report_title_stays_out_of_proposal_pages(client, app, resident, neighbour, planner, add_report,
                                                         sign_in):
    report = _report(add_report, resident)
    proposal = _proposal(neighbour, report, reason="보통 이유", idea="보통 아이디어")
    moderation.hide(planner, "report", report.id, "개인정보")
    page = app.test_client().get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert f"/reports/{report.id}" in page and SECRET not in page
    geo = json.loads(re.search(r'<script type="application/json" id="proposal-geo">(.*?)</script>', page, re.S)[1])
    assert [p["title"] for p in geo["reports"]] == [f"#{report.id}"]


def test_residents_cannot_flag_consultation_comments(client, resident, planner, places, sign_in):
    plan = make_plan(places["east"], planner)
    draft_comment = plan_comments.reply(planner, plan.id, plan_comments.consult(planner, plan.id, "검토 " + SECRET).id,
                                        "답")
    sign_in(client, resident)
    assert _flag(client, "plan_comment", draft_comment.id).status_code == 404
    assert _flags("plan_comment", draft_comment.id) == []


def test_hidden_report_takes_no_votes_or_comments_and_its_photos_are_not_served(
        client, app, resident, neighbour, planner, add_report, sign_in, jpeg_bytes):
    report = _report(add_report, resident, uploads=[jpeg_bytes()])
    photo = f"/reports/photos/{report.photos[0].filename}"
    proposal = _proposal(resident, report)
    assert client.get(photo).status_code == 200
    moderation.hide(planner, "report", report.id, "개인정보 포함")
    moderation.hide(planner, "proposal", proposal.id, "개인정보 포함")

    sign_in(client, neighbour)
    assert client.post(f"/api/v1/reports/{report.id}/vote").status_code == 403
    assert client.post(f"/api/v1/proposals/{proposal.id}/vote").status_code == 403
    client.post(f"/reports/{report.id}/comments", data={"body": "댓글"})
    client.post(f"/proposals/{proposal.id}/comments", data={"body": "댓글"})
    db.session.expire_all()
    assert db.session.scalars(select(Comment)).all() == []
    assert db.session.scalars(select(ProposalComment)).all() == []
    assert client.get(photo).status_code == 404
    staff = app.test_client()
    sign_in(staff, planner)
    assert staff.get(photo).status_code == 200


def test_a_photo_file_without_a_report_is_not_served(client, app, resident, add_report, jpeg_bytes):
    from pathlib import Path

    report = _report(add_report, resident, uploads=[jpeg_bytes()])
    folder = Path(app.config["PHOTO_DIR"])
    (folder / "0123456789abcdef0123456789abcdef.jpg").write_bytes((folder / report.photos[0].filename).read_bytes())
    assert client.get("/reports/photos/0123456789abcdef0123456789abcdef.jpg").status_code == 404
