"""Rate limits on writes: a second app with a low limit answers the 4th write in a minute with 429."""
import pytest

from tests.conftest import make_app
from webapp.extensions import db, limiter


@pytest.fixture
def limited_app(app, database_url, tmp_path):
    """An app on the same database with RATELIMIT_ENABLED and 3 writes a minute."""
    was_enabled = limiter.enabled
    limited = make_app(database_url, tmp_path, RATELIMIT_ENABLED=True, WRITE_RATE_LIMIT="3 per minute")
    limiter.reset()
    yield limited
    # One Limiter object serves every app, and init_app sets its `enabled` flag for all of them:
    # put it back so the session app (limits off) is not limited in later tests.
    limiter.reset()
    limiter.enabled = was_enabled
    with limited.app_context():
        db.engine.dispose()


def _client(app, user):
    client = app.test_client()
    response = client.post("/auth/login", data={"email": user.email, "password": "password123"})
    assert response.status_code == 302
    return client


def test_fourth_write_in_a_minute_is_429_envelope(limited_app, resident, add_report):
    report = add_report(resident)
    client = _client(limited_app, resident)
    for _ in range(3):
        assert client.post(f"/api/v1/reports/{report.id}/vote").status_code == 200
    response = client.post(f"/api/v1/reports/{report.id}/vote")
    assert response.status_code == 429
    error = response.get_json()["error"]
    assert error["code"] == "too_many_requests"
    assert error["message"] == "요청이 너무 많습니다. 잠시 후 다시 시도해 주세요."


def test_reads_are_not_limited(limited_app, resident, add_report):
    report = add_report(resident)
    client = _client(limited_app, resident)
    for _ in range(3):
        client.post(f"/api/v1/reports/{report.id}/vote")
    for _ in range(5):
        assert client.get(f"/api/v1/reports/{report.id}").status_code == 200


def test_each_user_has_their_own_budget(limited_app, resident, neighbour, add_report):
    report = add_report(resident)
    first, second = _client(limited_app, resident), _client(limited_app, neighbour)
    for _ in range(3):
        first.post(f"/api/v1/reports/{report.id}/vote")
    assert first.post(f"/api/v1/reports/{report.id}/vote").status_code == 429
    assert second.post(f"/api/v1/reports/{report.id}/vote").status_code == 200


def test_limited_form_post_gets_a_429_page(limited_app, resident, add_report):
    report = add_report(resident)
    client = _client(limited_app, resident)
    for _ in range(3):
        assert client.post(f"/reports/{report.id}/comments", data={"body": "의견"}).status_code == 302
    response = client.post(f"/reports/{report.id}/comments", data={"body": "의견"})
    assert response.status_code == 429 and response.mimetype == "text/html"
    assert "요청이 너무 많습니다." in response.get_data(as_text=True)


def test_session_app_without_limits_is_not_limited(client, resident, add_report, sign_in):
    report = add_report(resident)
    sign_in(client, resident)
    for _ in range(8):
        assert client.post(f"/api/v1/reports/{report.id}/vote").status_code == 200
