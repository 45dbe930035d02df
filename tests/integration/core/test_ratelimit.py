"""Rate limits: one write budget per user across endpoints, sign-in back-off, registrations per address.

One Limiter object serves every app in this process; these apps turn it on with in-memory counters
(the Redis-backed limits across processes are in test_ratelimit_processes.py).
"""
import time

import pytest

from tests.fixtures.database import make_app
from tests.fixtures.people import PASSWORD
from webapp.extensions import db, limiter


@pytest.fixture
def limited(app, database_url, tmp_path):
    """A factory of apps on the same database with RATELIMIT_ENABLED and the given settings."""
    was_enabled = limiter.enabled
    made = []

    def build(**settings):
        made.append(make_app(database_url, tmp_path, RATELIMIT_ENABLED=True,
                             RATELIMIT_STORAGE_URI="memory://", **settings))
        limiter.reset()
        return made[-1]

    yield build
    # init_app sets the Limiter's `enabled` flag for every app: put it back so the session app
    # (limits off) is not limited in later tests.
    limiter.reset()
    limiter.enabled = was_enabled
    for built in made:
        with built.app_context():
            db.engine.dispose()


@pytest.fixture
def limited_app(limited):
    """3 writes a minute."""
    return limited(WRITE_RATE_LIMIT="3 per minute")


def _client(app, user, password=PASSWORD):
    client = app.test_client()
    response = client.post("/auth/login", data={"email": user.email, "password": password})
    assert response.status_code == 302
    return client


def _at(app, address):
    """A client whose requests come from `address`."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _retry_after(response) -> int:
    return int(response.headers["Retry-After"])


def test_fourth_write_in_a_minute_is_429_envelope_with_retry_after(limited_app, resident, add_report):
    report = add_report(resident)
    client = _client(limited_app, resident)
    for _ in range(3):
        assert client.post(f"/api/v1/reports/{report.id}/vote").status_code == 200
    response = client.post(f"/api/v1/reports/{report.id}/vote")
    assert response.status_code == 429
    error = response.get_json()["error"]
    assert error["code"] == "too_many_requests"
    assert error["message"] == "요청이 너무 많습니다. 잠시 후 다시 시도해 주세요."
    assert 1 <= _retry_after(response) <= 60


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


def test_one_budget_covers_every_write_endpoint(limited, resident, add_report):
    app = limited(WRITE_RATE_LIMIT="5 per minute")
    report = add_report(resident)
    client = _client(app, resident)
    # Votes, withdrawals (API) and comments (web form) draw on the same five writes.
    assert client.post(f"/api/v1/reports/{report.id}/vote").status_code == 200
    assert client.delete(f"/api/v1/reports/{report.id}/vote").status_code == 200
    assert client.post(f"/reports/{report.id}/comments", data={"body": "의견"}).status_code == 302
    assert client.post(f"/api/v1/reports/{report.id}/vote").status_code == 200
    assert client.delete(f"/api/v1/reports/{report.id}/vote").status_code == 200
    for attempt in (lambda: client.post(f"/api/v1/reports/{report.id}/vote"),
                    lambda: client.delete(f"/api/v1/reports/{report.id}/vote"),
                    lambda: client.post("/api/v1/reports", json={"lat": 37.05, "lon": 127.05, "category": "traffic",
                                                                 "title": "t", "description": "d"})):
        response = attempt()
        assert response.status_code == 429 and response.get_json()["error"]["code"] == "too_many_requests"
        assert "Retry-After" in response.headers
    page = client.post(f"/reports/{report.id}/comments", data={"body": "의견"})
    assert page.status_code == 429 and page.mimetype == "text/html" and "Retry-After" in page.headers


def test_limited_form_post_gets_a_429_page(limited_app, resident, add_report):
    report = add_report(resident)
    client = _client(limited_app, resident)
    for _ in range(3):
        assert client.post(f"/reports/{report.id}/comments", data={"body": "의견"}).status_code == 302
    response = client.post(f"/reports/{report.id}/comments", data={"body": "의견"})
    assert response.status_code == 429 and response.mimetype == "text/html"
    assert "요청이 너무 많습니다." in response.get_data(as_text=True)
    assert 1 <= _retry_after(response) <= 60


def test_session_app_without_limits_is_not_limited(client, resident, add_report, sign_in):
    report = add_report(resident)
    sign_in(client, resident)
    for _ in range(8):
        assert client.post(f"/api/v1/reports/{report.id}/vote").status_code == 200
    for _ in range(8):
        assert client.post("/auth/login", data={"email": resident.email, "password": "wrong-wrong"}).status_code == 401


LOGIN = dict(WRITE_RATE_LIMIT="1000 per minute", LOGIN_MAX_FAILURES=3, LOGIN_MAX_FAILURES_PER_ADDRESS=100,
             LOGIN_DELAY_SECONDS=1, LOGIN_MAX_DELAY_SECONDS=4)


def _try(client, email, password):
    return client.post("/auth/login", data={"email": email, "password": password})


def test_failed_logins_lock_the_account_with_a_doubling_delay(limited, resident):
    app = limited(**LOGIN)
    client = app.test_client()
    for _ in range(3):
        assert _try(client, resident.email, "wrong-password").status_code == 401
    locked = _try(client, resident.email, PASSWORD)  # even the right password waits
    assert locked.status_code == 429 and locked.mimetype == "text/html" and _retry_after(locked) == 1
    waits = []
    for _ in range(3):
        time.sleep(_retry_after(locked) + 0.1)
        assert _try(client, resident.email, "wrong-password").status_code == 401  # one more try, then locked
        locked = _try(client, resident.email, "wrong-password")
        assert locked.status_code == 429
        waits.append(_retry_after(locked))
    assert waits == [2, 4, 4]  # doubled each time, capped at LOGIN_MAX_DELAY_SECONDS


def test_a_locked_account_is_locked_from_every_address_and_others_are_not(limited, resident, neighbour):
    app = limited(**LOGIN)
    for _ in range(3):
        _try(app.test_client(), resident.email, "wrong-password")
    elsewhere = _at(app, "10.1.2.3")
    assert _try(elsewhere, resident.email, PASSWORD).status_code == 429
    assert _try(app.test_client(), neighbour.email, PASSWORD).status_code == 302


def test_a_success_clears_the_accounts_failures(limited, resident):
    app = limited(**LOGIN)
    client = app.test_client()
    for _ in range(2):
        assert _try(client, resident.email, "wrong-password").status_code == 401
    assert _try(client, resident.email, PASSWORD).status_code == 302
    for _ in range(2):
        assert _try(client, resident.email, "wrong-password").status_code == 401
    assert _try(client, resident.email, PASSWORD).status_code == 302


def test_unknown_addresses_are_counted_too(limited, places):
    app = limited(**LOGIN)
    client = app.test_client()
    for _ in range(3):
        assert _try(client, "nobody@example.org", "whatever-it-is").status_code == 401
    assert _try(client, "Nobody@Example.org", "whatever-it-is").status_code == 429


def test_failures_from_one_address_over_many_accounts_lock_that_address(limited, resident):
    app = limited(**{**LOGIN, "LOGIN_MAX_FAILURES": 100, "LOGIN_MAX_FAILURES_PER_ADDRESS": 4})
    spray = _at(app, "10.9.9.9")
    for i in range(4):
        assert _try(spray, f"user{i}@example.org", "summer-2026-pass").status_code == 401
    locked = _try(spray, resident.email, PASSWORD)
    assert locked.status_code == 429 and _retry_after(locked) == 1
    assert _try(app.test_client(), resident.email, PASSWORD).status_code == 302  # other addresses are fine
    time.sleep(1.1)
    assert _try(spray, "user9@example.org", "summer-2026-pass").status_code == 401
    locked = _try(spray, "user10@example.org", "summer-2026-pass")
    assert locked.status_code == 429 and _retry_after(locked) == 2


def test_login_lock_message_in_english(limited, resident):
    app = limited(**LOGIN)
    client = app.test_client()
    for _ in range(3):
        _try(client, resident.email, "wrong-password")
    page = client.post("/auth/login?lang=en", data={"email": resident.email, "password": "x"})
    assert page.status_code == 429
    assert "Too many failed sign-ins. Please wait and try again." in page.get_data(as_text=True)


REGISTER = {"display_name": "새 주민", "password": "correct horse battery"}


def test_registrations_per_address_are_limited(limited, places):
    app = limited(WRITE_RATE_LIMIT="1000 per minute", REGISTER_RATE_LIMIT="2 per hour")
    client = app.test_client()
    # A form with errors does not use up the allowance.
    bad = client.post("/auth/register", data={**REGISTER, "email": "a@example.org", "password": "x"})
    assert bad.status_code == 422
    for i in range(2):
        assert client.post("/auth/register", data={**REGISTER, "email": f"r{i}@example.org"}).status_code == 302
    refused = client.post("/auth/register", data={**REGISTER, "email": "r9@example.org"})
    assert refused.status_code == 429 and refused.mimetype == "text/html"
    assert 3500 <= _retry_after(refused) <= 3600
    other = _at(app, "10.4.4.4")
    assert other.post("/auth/register", data={**REGISTER, "email": "r9@example.org"}).status_code == 302


def test_wrong_current_passwords_on_the_password_page_count_as_failed_sign_ins(limited, resident):
    app = limited(**LOGIN)
    client = _client(app, resident)
    change = {"current_password": "guess-guess-guess", "new_password": "otter-harbour-lamp-77",
              "new_password2": "otter-harbour-lamp-77"}
    for _ in range(3):
        assert client.post("/auth/password", data=change).status_code == 422
    refused = client.post("/auth/password", data={**change, "current_password": PASSWORD})
    assert refused.status_code == 429 and _retry_after(refused) == 1
    assert _try(app.test_client(), resident.email, PASSWORD).status_code == 429
