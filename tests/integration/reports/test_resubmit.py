"""The report form's one-time token: sending the same form again (or twice at once) files one report."""
import io
import re
import threading
import time

import pytest
import requests
from sqlalchemy import func, select

from tests.fixtures.db_lock import reports_write_lock
from webapp.extensions import db
from webapp.models import Report, ReportPhoto

FORM = {"lat": "37.05", "lon": "127.05", "category": "traffic", "title": "신호등 고장", "description": "꺼져 있어요."}
NOTICE = "You already sent this report; here it is."


@pytest.fixture
def signed_in(client, resident, sign_in):
    sign_in(client, resident)
    client.get("/auth/language/en")  # the notice is a new string: read it in English
    return client


def _form_token(client) -> str:
    page = client.get("/reports/new").get_data(as_text=True)
    return re.search(r'name="submission_token" value="([0-9a-f]{32})"', page).group(1)


def _send(client, token, *photos):
    data = {**FORM, "submission_token": token,
            "photos": [(io.BytesIO(p), f"p{i}.jpg") for i, p in enumerate(photos)]}
    return client.post("/reports/new", data=data, content_type="multipart/form-data")


def _count(model=Report):
    db.session.rollback()
    return db.session.scalar(select(func.count(model.id)))


def _files(folder):
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_same_form_sent_again_files_one_report_and_redirects_to_it(signed_in, photo_dir, jpeg_bytes):
    token = _form_token(signed_in)
    first = _send(signed_in, token, jpeg_bytes())
    assert first.status_code == 302 and re.search(r"/reports/\d+$", first.location)
    again = _send(signed_in, token, jpeg_bytes())
    assert again.status_code == 302 and again.location == first.location
    page = signed_in.get(again.location).get_data(as_text=True)
    assert NOTICE in page
    assert _count() == 1 and _count(ReportPhoto) == 1
    assert _files(photo_dir) == sorted(db.session.scalars(select(ReportPhoto.filename)))


def test_a_new_form_files_a_new_report(signed_in, photo_dir):
    first = _send(signed_in, _form_token(signed_in))
    second = _send(signed_in, _form_token(signed_in))
    assert first.status_code == second.status_code == 302 and first.location != second.location
    assert NOTICE not in signed_in.get(second.location).get_data(as_text=True)
    assert _count() == 2


def test_a_form_shown_again_with_errors_keeps_its_token(signed_in, photo_dir):
    token = _form_token(signed_in)
    refused = signed_in.post("/reports/new", data={**FORM, "title": "", "submission_token": token})
    assert refused.status_code == 422 and f'value="{token}"' in refused.get_data(as_text=True)
    assert _count() == 0


def test_the_same_token_of_another_author_is_another_report(signed_in, app, neighbour, sign_in, photo_dir):
    token = _form_token(signed_in)
    assert _send(signed_in, token).status_code == 302
    other = sign_in(app.test_client(), neighbour)
    assert _send(other, token).status_code == 302
    assert _count() == 2


def test_api_answers_200_with_the_report_already_filed(signed_in, photo_dir):
    body = {**FORM, "lat": 37.05, "lon": 127.05, "submission_token": "client-token-1"}
    created = signed_in.post("/api/v1/reports", json=body)
    repeated = signed_in.post("/api/v1/reports", json=body)
    assert created.status_code == 201 and repeated.status_code == 200
    assert repeated.get_json()["id"] == created.get_json()["id"]
    fresh = signed_in.post("/api/v1/reports", json={**body, "submission_token": "client-token-2"})
    assert fresh.status_code == 201 and _count() == 2
    too_long = signed_in.post("/api/v1/reports", json={**body, "submission_token": "x" * 65})
    assert too_long.status_code == 422 and "submission_token" in too_long.get_json()["error"]["fields"]


def test_two_identical_submissions_at_once_file_one_report(app, live_server, signed_in, photo_dir, jpeg_bytes):
    token = _form_token(signed_in)
    cookie = signed_in.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    answers = []

    def send():
        session = requests.Session()
        session.trust_env = False  # the server is local: never through a proxy
        session.cookies.set(cookie.key, cookie.value)
        answers.append(session.post(
            f"{live_server}/reports/new", allow_redirects=False, timeout=60,
            headers={"X-CSRFToken": signed_in.token},
            data={**FORM, "submission_token": token}, files={"photos": ("p.jpg", jpeg_bytes(), "image/jpeg")},
        ))

    # Both requests get past the "already filed?" look-up and wait in their commit, then race for the index.
    with reports_write_lock():
        workers = [threading.Thread(target=send) for _ in range(2)]
        for worker in workers:
            worker.start()
        deadline = time.monotonic() + 20
        while len([n for n in _files(photo_dir) if n.endswith(".tmp")]) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(_files(photo_dir)) == 2 and all(worker.is_alive() for worker in workers), _files(photo_dir)
    for worker in workers:
        worker.join(60)
    assert [a.status_code for a in answers] == [302, 302], [a.text[:300] for a in answers]
    assert answers[0].headers["Location"] == answers[1].headers["Location"]
    assert _count() == 1 and _count(ReportPhoto) == 1
    assert _files(photo_dir) == sorted(db.session.scalars(select(ReportPhoto.filename)))
