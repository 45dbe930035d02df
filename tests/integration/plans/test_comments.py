"""Consultation on drafts (consultants, planners reply) and residents' public comments on submitted plans."""
import pytest
from sqlalchemy import select

from tests.fixtures.people import PASSWORD
from tests.fixtures.plans import make_plan, submit
from webapp.auth import service as users
from webapp.errors import Forbidden, Unauthorized, ValidationFailed
from webapp.extensions import db
from webapp.models import PlanComment
from webapp.plans import comments as plan_comments


@pytest.fixture
def plan(planner, places):
    return make_plan(places["east"], planner)


@pytest.fixture
def east_consultant(places):
    user = users.create_account("consultant@example.org", "동시 자문", PASSWORD,
                                roles=["consultant"], municipality=places["east"])
    return user


@pytest.fixture
def west_consultant(places):
    user = users.create_account("westc@example.org", "서시 자문", PASSWORD,
                                roles=["consultant"], municipality=places["west"])
    return user


def _comments(plan):
    return list(db.session.scalars(select(PlanComment).where(PlanComment.plan_id == plan.id).order_by(PlanComment.id)))


def test_consultant_of_east_comments_on_plan_and_item(client, plan, east_consultant, sign_in):
    sign_in(client, east_consultant)
    page = client.get(f"/plans/{plan.id}/consultation")
    assert page.status_code == 200 and "스마트 횡단보도 설치" in page.get_data(as_text=True)
    item = plan.items[1]
    comments_url = f"/plans/{plan.id}/consultation/comments"
    assert client.post(comments_url, data={"body": "예산 근거를 보강하세요."}).status_code == 302
    response = client.post(comments_url, data={"body": "CCTV 위치 재검토", "item": item.id})
    assert response.headers["Location"].endswith(f"#item-{item.id}-comments")
    rows = [(c.item_id, c.public, c.body, c.author_id) for c in _comments(plan)]
    assert rows == [(None, False, "예산 근거를 보강하세요.", east_consultant.id),
                    (item.id, False, "CCTV 위치 재검토", east_consultant.id)]
    page = client.get(f"/plans/{plan.id}/consultation").get_data(as_text=True)
    assert page.index("CCTV 위치 재검토") > page.index(f'id="item-{item.id}"')


@pytest.mark.parametrize("who", ["west_consultant", "resident", "west_planner"])
def test_others_cannot_read_or_comment_on_the_draft(client, plan, request, sign_in, who):
    sign_in(client, request.getfixturevalue(who))
    assert client.get(f"/plans/{plan.id}/consultation").status_code == 403
    assert client.post(f"/plans/{plan.id}/consultation/comments", data={"body": "안녕"}).status_code == 403
    assert _comments(plan) == []


def test_anonymous_is_sent_to_login(client, plan):
    response = client.get(f"/plans/{plan.id}/consultation")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    with pytest.raises(Unauthorized):
        from flask_login import AnonymousUserMixin
        plan_comments.consult(AnonymousUserMixin(), plan.id, "x")


def test_planner_replies_and_consultant_cannot(client, app, plan, planner, east_consultant, sign_in):
    first = plan_comments.consult(east_consultant, plan.id, "KPI 기준값 출처는?", plan.items[0].id)
    sign_in(client, planner)
    response = client.post(f"/plans/{plan.id}/comments/{first.id}/reply", data={"body": "경찰청 통계입니다."})
    assert response.status_code == 302
    reply = _comments(plan)[-1]
    assert (reply.reply_to_id, reply.item_id, reply.public, reply.author_id) == (first.id, plan.items[0].id, False,
                                                                                  planner.id)
    # A reply to a reply joins the same thread.
    second = plan_comments.reply(planner, plan.id, reply.id, "추가 설명")
    assert second.reply_to_id == first.id
    with pytest.raises(Forbidden):
        plan_comments.reply(east_consultant, plan.id, first.id, "나도 답글")
    other = sign_in(app.test_client(), east_consultant)
    assert other.post(f"/plans/{plan.id}/comments/{first.id}/reply", data={"body": "x"}).status_code == 403
    page = other.get(f"/plans/{plan.id}/consultation").get_data(as_text=True)
    assert "경찰청 통계입니다." in page and 'class="reply-form"' not in page
    assert 'class="reply-form"' in client.get(f"/plans/{plan.id}/consultation").get_data(as_text=True)


def test_residents_comment_only_once_a_version_exists(client, plan, planner, resident, sign_in):
    sign_in(client, resident)
    assert client.post(f"/plans/{plan.id}/comments", data={"body": "좋아요"}).status_code == 403
    submit(plan, planner)
    assert client.post(f"/plans/{plan.id}/comments", data={"body": "좋아요"}).status_code == 302
    [comment] = _comments(plan)
    assert comment.public is True and comment.item_id is None
    page = client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert "좋아요" in page and 'id="public-comment-form"' in page


def test_public_page_shows_no_consultation_and_planner_can_reply(client, app, plan, planner, resident,
                                                                   east_consultant, sign_in):
    plan_comments.consult(east_consultant, plan.id, "내부 자문 의견")
    submit(plan, planner)
    public = plan_comments.comment_public(resident, plan.id, "주민 의견")
    staff = sign_in(app.test_client(), planner)
    response = staff.post(f"/plans/{plan.id}/comments/{public.id}/reply", data={"body": "검토하겠습니다."})
    assert response.headers["Location"].endswith(f"/plans/{plan.id}#c-{public.id}")
    page = client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert "주민 의견" in page and "검토하겠습니다." in page and "내부 자문 의견" not in page
    assert "Log in to comment" in client.get(f"/plans/{plan.id}?lang=en").get_data(as_text=True)


def test_comment_output_is_escaped(client, plan, planner, resident, sign_in):
    submit(plan, planner)
    plan_comments.comment_public(resident, plan.id, "<script>alert(1)</script>")
    page = client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_blank_long_and_foreign_item_comments_are_refused(client, plan, planner, east_consultant, places, sign_in):
    with pytest.raises(ValidationFailed):
        plan_comments.consult(east_consultant, plan.id, "   ")
    with pytest.raises(ValidationFailed):
        plan_comments.consult(east_consultant, plan.id, "가" * 2001)
    other = make_plan(places["west"], planner, title="서시 계획")
    with pytest.raises(ValidationFailed) as err:
        plan_comments.consult(east_consultant, plan.id, "다른 계획 항목", other.items[0].id)
    assert "item" in err.value.fields
    sign_in(client, east_consultant)
    response = client.post(f"/plans/{plan.id}/consultation/comments", data={"body": "가" * 2001}, follow_redirects=True)
    assert response.status_code == 200 and "2000" in response.get_data(as_text=True)
    assert _comments(plan) == []


def test_reply_to_a_comment_of_another_plan_is_404(client, plan, planner, places, east_consultant, sign_in):
    west = users.register("wp2@example.org", "서시2", PASSWORD)
    other = make_plan(places["west"], west, title="서시 계획")
    users.create_account(east_consultant.email, east_consultant.display_name, PASSWORD,
                         roles=["consultant"], municipality=places["west"])
    foreign = plan_comments.consult(east_consultant, other.id, "서시 의견")
    sign_in(client, planner)
    assert client.post(f"/plans/{plan.id}/comments/{foreign.id}/reply", data={"body": "x"}).status_code == 404
