"""Report pages through the test client: filing, showing, voting, commenting, escaping."""
import io
import re
from datetime import datetime, timezone

from sqlalchemy import func, select

from tests.fixtures.people import PASSWORD
from webapp.auth import service as users
from webapp.extensions import db
from webapp.models import Comment, Report, Vote

FORM = {"lat": "37.05", "lon": "127.05", "category": "welfare", "title": "어르신 안부 확인",
        "description": "홀몸 어르신이 계십니다."}


def _jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), "blue").save(buffer, "JPEG")
    return buffer.getvalue()


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _count(model, **where):
    stmt = select(func.count(model.id))
    for name, value in where.items():
        stmt = stmt.where(getattr(model, name) == value)
    return db.session.scalar(stmt)


def test_map_page_lists_municipalities_and_categories(client, places):
    page = _page(client, "/")
    assert '<option value="90001"' in page and "동시" in page and "복지·돌봄" in page


def test_new_report_page_needs_login(client, places):
    response = client.get("/reports/new")
    assert response.status_code == 302 and "/auth/login" in response.location


def test_file_a_report_through_the_form(client, resident, sign_in, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "PHOTO_DIR", str(tmp_path))
    sign_in(client, resident)
    assert 'name="title"' in _page(client, "/reports/new")
    data = {**FORM, "anonymous": "1", "photos": [(io.BytesIO(_jpeg()), "p.jpg")]}
    response = client.post("/reports/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    report_id = int(re.fullmatch(r"/reports/(\d+)", response.location).group(1))
    report = db.session.get(Report, report_id)
    assert (report.title, report.anonymous, report.municipality.code) == ("어르신 안부 확인", True, "90001")
    assert len(report.photos) == 1 and (tmp_path / report.photos[0].filename).exists()
    page = _page(client, response.location)
    assert "감사합니다! 신고가 접수되었습니다." in page and "홀몸 어르신이 계십니다." in page
    assert f'src="/reports/photos/{report.photos[0].filename}"' in page


def test_form_errors_keep_the_input_and_name_the_field(client, resident, sign_in):
    sign_in(client, resident)
    response = client.post("/reports/new", data={**FORM, "title": "가" * 121})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="title-error"' in page and 'id="lat-error"' not in page
    assert "홀몸 어르신이 계십니다." in page  # what was typed is kept
    assert _count(Report) == 0


def test_form_outside_every_municipality_says_so(client, resident, sign_in):
    sign_in(client, resident)
    response = client.post("/reports/new", data={**FORM, "lon": "129.5"})
    assert response.status_code == 422
    assert "이 위치는 서비스 대상 지자체 관할 구역 밖에 있습니다." in response.get_data(as_text=True)


def test_report_page_shows_the_report(client, resident, add_report):
    report = add_report(resident, category="safety", title="어두운 골목", description="가로등 없음")
    page = _page(client, f"/reports/{report.id}")
    for text in ("어두운 골목", "가로등 없음", "방범·안전", "동시", "접수됨", "주민"):
        assert text in page, text


def test_report_page_shows_times_in_seoul(client, resident, add_report):
    report = add_report(resident)
    report.created_at = datetime(2026, 1, 1, 20, 30, tzinfo=timezone.utc)
    db.session.commit()
    assert "2026-01-02 05:30" in _page(client, f"/reports/{report.id}")


def test_anonymous_report_hides_the_name_except_from_author(client, app, neighbour, add_report, sign_in):
    author = users.register("hong@example.org", "홍길동", PASSWORD)
    report = add_report(author, anonymous=True)
    for viewer in (client, sign_in(app.test_client(), neighbour)):
        page = _page(viewer, f"/reports/{report.id}")
        assert "주민(이름 비공개)" in page and "홍길동" not in page
    own = _page(sign_in(app.test_client(), author), f"/reports/{report.id}")
    assert "신고자: 홍길동" in own


def test_comment_is_plain_escaped_text(client, resident, neighbour, add_report, sign_in):
    report = add_report(resident)
    sign_in(client, neighbour)
    response = client.post(f"/reports/{report.id}/comments", data={"body": "<script>alert(1)</script>"})
    assert response.status_code == 302 and response.location.endswith("#comments")
    assert db.session.scalars(select(Comment.body)).all() == ["<script>alert(1)</script>"]
    page = _page(client, f"/reports/{report.id}")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page


def test_report_title_is_escaped(client, resident, add_report):
    report = add_report(resident, title='<img src=x onerror="alert(1)">')
    page = _page(client, f"/reports/{report.id}")
    assert "<img src=x" not in page and "&lt;img src=x" in page


def test_empty_comment_is_refused(client, resident, add_report, sign_in):
    report = add_report(resident)
    sign_in(client, resident)
    response = client.post(f"/reports/{report.id}/comments", data={"body": "   "}, follow_redirects=True)
    assert "필수 입력 항목입니다." in response.get_data(as_text=True)
    assert _count(Comment) == 0


def test_comment_needs_login(client, resident, add_report):
    report = add_report(resident)
    response = client.post(f"/reports/{report.id}/comments", data={"body": "안녕하세요"})
    assert response.status_code == 302 and "/auth/login" in response.location
    assert _count(Comment) == 0


def test_vote_and_withdraw_through_the_page(client, resident, neighbour, add_report, sign_in):
    report = add_report(resident)
    sign_in(client, neighbour)
    assert "투표: 저도 같은 문제를 겪고 있어요" in _page(client, f"/reports/{report.id}")
    response = client.post(f"/reports/{report.id}/vote")
    assert response.status_code == 302 and response.location.endswith("#votes")
    page = _page(client, f"/reports/{report.id}")
    assert '<strong id="vote-count">1</strong>' in page and "투표 취소" in page
    client.post(f"/reports/{report.id}/vote", data={"action": "remove"})
    assert _count(Vote, report_id=report.id) == 0
    assert '<strong id="vote-count">0</strong>' in _page(client, f"/reports/{report.id}")


def test_vote_for_a_closed_report_through_the_page_is_refused(client, resident, neighbour, add_report, sign_in):
    report = add_report(resident, status="closed")
    sign_in(client, neighbour)
    page = client.post(f"/reports/{report.id}/vote", follow_redirects=True).get_data(as_text=True)
    assert "처리가 끝나지 않은 신고에만 투표할 수 있습니다." in page
    assert _count(Vote) == 0


def test_page_in_english_on_request(client, resident, add_report):
    report = add_report(resident)
    page = _page(client, f"/reports/{report.id}?lang=en")
    assert '<html lang="en">' in page and "Submitted" in page and "East City" in page
