"""Rate limits across processes: two app processes on one database and one Redis share every counter."""
import uuid

import pytest
import redis

from bench.ratelimit import app_processes, browser, burst_of_logins, logins_until_refused, sign_in, writes_until_refused
from tests.fixtures.people import PASSWORD

REDIS = "redis://127.0.0.1:6379/7"


@pytest.fixture
def prefix():
    """A key prefix of this test alone (parallel runs share the Redis server); its keys are removed after."""
    name = f"test-{uuid.uuid4().hex}"
    yield name
    connection = redis.Redis.from_url(REDIS)
    keys = list(connection.scan_iter(f"*{name}*"))
    if keys:
        connection.delete(*keys)


@pytest.fixture
def servers(app, database_url, tmp_path, prefix):
    """A factory starting two app processes with the given settings (on the test database, with Redis)."""
    stack = []

    def start(**settings):
        env = {"DATABASE_URL": database_url, "SECRET_KEY": "test-secret", "PHOTO_DIR": str(tmp_path / "photos"),
               "TILE_URL": "", "RATELIMIT_ENABLED": "1", "RATELIMIT_STORAGE_URI": REDIS,
               "RATELIMIT_KEY_PREFIX": prefix, **{k: str(v) for k, v in settings.items()}}
        stack.append(app_processes(2, env))
        return stack[-1].__enter__()

    yield start
    for processes in stack:
        processes.__exit__(None, None, None)


def test_one_user_gets_the_configured_writes_across_two_processes(servers, resident, add_report):
    report = add_report(resident)
    urls = servers(WRITE_RATE_LIMIT="10 per minute")
    session = browser()
    assert sign_in(session, urls[0], resident.email, PASSWORD).status_code == 302
    allowed, refusal = writes_until_refused(session, urls, report.id)
    assert allowed == 10
    assert refusal.json()["error"]["code"] == "too_many_requests"
    assert 1 <= int(refusal.headers["Retry-After"]) <= 60
    # Refused on the other process too: the budget is one, wherever the request lands.
    other = urls[(allowed + 1) % 2]
    assert session.post(f"{other}/api/v1/reports/{report.id}/vote", timeout=30).status_code == 429


def test_failed_sign_ins_lock_the_account_across_two_processes(servers, resident):
    urls = servers(LOGIN_MAX_FAILURES=4, LOGIN_DELAY_SECONDS=30)
    attempts, refusal = logins_until_refused(urls, resident.email)
    assert attempts == 4
    assert 29 <= int(refusal.headers["Retry-After"]) <= 30
    for url in urls:
        assert sign_in(browser(), url, resident.email, PASSWORD).status_code == 429


def test_parallel_wrong_passwords_get_exactly_the_allowed_tries(servers, resident):
    urls = servers(LOGIN_MAX_FAILURES=4, LOGIN_DELAY_SECONDS=30)
    assert burst_of_logins(urls, resident.email, count=16) == {401: 4, 429: 12}
