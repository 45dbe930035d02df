"""Many residents at once over real HTTP: each signs in with their own session and votes twice."""
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import requests

from tests.conftest import PASSWORD
from webapp.services import users


def _token(session, url):
    page = session.get(url, timeout=30)
    assert page.status_code == 200
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text).group(1)


def _signed_in_session(base, email):
    session = requests.Session()
    session.trust_env = False  # never through a proxy: the server is local
    token = _token(session, f"{base}/auth/login")
    response = session.post(f"{base}/auth/login", timeout=30, allow_redirects=False,
                            data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, response.text
    session.headers["X-CSRFToken"] = _token(session, f"{base}/")
    return session


def vote_twice_at_once(base: str, path: str, count: int) -> list:
    """Register `count` residents, sign each in, then fire two POSTs to `path` per resident all at once."""
    emails = [f"crowd{i}@example.org" for i in range(count)]
    for i, email in enumerate(emails):
        users.register(email, f"주민{i}", PASSWORD)
    with ThreadPoolExecutor(max_workers=count) as pool:
        sessions = list(pool.map(lambda e: _signed_in_session(base, e), emails))
    start = threading.Barrier(2 * count)

    def vote(session):
        start.wait(timeout=60)
        return session.post(f"{base}{path}", timeout=60)

    try:
        with ThreadPoolExecutor(max_workers=2 * count) as pool:
            return list(pool.map(vote, sessions + sessions))
    finally:
        for session in sessions:
            session.close()
