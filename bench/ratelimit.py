"""Measure: rate limits held across two app processes sharing Redis.

Run: `.venv/bin/python -m bench.ratelimit [--redis redis://127.0.0.1:6379/8] [--db sqlite|postgis]`.
Starts two processes serving the app over HTTP on two local ports (same database, same Redis,
a run-unique key prefix, default limits), signs one user in, alternates votes and withdrawals
between the two processes until the first 429 and prints how many writes were allowed; then
alternates wrong passwords between them and prints how many sign-in attempts got a 401 before
the first 429, with that 429's Retry-After.
"""
import argparse
import contextlib
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
# Serves create_app() on a free port and prints that port; settings come from the environment.
SERVER = (
    "import sys; from werkzeug.serving import make_server; from webapp import create_app; "
    "server = make_server('127.0.0.1', 0, create_app(), threaded=True); "
    "print(server.server_port, flush=True); server.serve_forever()"
)


@contextlib.contextmanager
def app_processes(count: int, env: dict):
    """`count` app processes with `env` added to the environment; yields their base URLs."""
    processes = []
    try:
        for _ in range(count):
            process = subprocess.Popen([sys.executable, "-c", SERVER], cwd=ROOT, env={**os.environ, **env},
                                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            processes.append(process)
        urls = []
        for process in processes:
            line = process.stdout.readline().strip()
            if not line.isdigit():
                raise RuntimeError(f"an app process did not start (exit code {process.poll()})")
            urls.append(f"http://127.0.0.1:{line}")
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def browser() -> requests.Session:
    """A cookie-keeping HTTP client that never goes through a proxy (the servers are local)."""
    session = requests.Session()
    session.trust_env = False
    return session


def csrf_token(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=30)
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text).group(1)


def sign_in(session: requests.Session, url: str, email: str, password: str) -> requests.Response:
    """One sign-in attempt through the login form."""
    token = csrf_token(session, f"{url}/auth/login")
    return session.post(f"{url}/auth/login", data={"email": email, "password": password, "csrf_token": token},
                        allow_redirects=False, timeout=30)


def writes_until_refused(session: requests.Session, urls: list[str], report_id: int, limit: int = 1000):
    """Alternate vote / withdrawal between the servers; (writes allowed, the first refusal)."""
    session.headers["X-CSRFToken"] = csrf_token(session, f"{urls[0]}/")
    for i in range(limit):
        url = urls[i % len(urls)]
        method = session.post if i % 2 == 0 else session.delete
        response = method(f"{url}/api/v1/reports/{report_id}/vote", timeout=30)
        if response.status_code == 429:
            return i, response
        assert response.status_code == 200, response.text
    return limit, None


def logins_until_refused(urls: list[str], email: str, limit: int = 1000):
    """Alternate wrong passwords between the servers; (attempts answered 401, the first refusal)."""
    session = browser()
    for i in range(limit):
        response = sign_in(session, urls[i % len(urls)], email, "not-the-password")
        if response.status_code == 429:
            return i, response
        assert response.status_code == 401, response.status_code
    return limit, None


def burst_of_logins(urls: list[str], email: str, count: int = 20) -> dict:
    """`count` wrong-password attempts sent at the same moment, spread over the servers; status counts."""
    import threading
    from collections import Counter
    from concurrent.futures import ThreadPoolExecutor

    prepared = []
    for i in range(count):
        session, url = browser(), urls[i % len(urls)]
        prepared.append((session, url, csrf_token(session, f"{url}/auth/login")))
    start = threading.Barrier(count)

    def attempt(item):
        session, url, token = item
        start.wait(timeout=60)
        return session.post(f"{url}/auth/login", data={"email": email, "password": "not-it", "csrf_token": token},
                            allow_redirects=False, timeout=60).status_code

    with ThreadPoolExecutor(max_workers=count) as pool:
        return dict(Counter(pool.map(attempt, prepared)))


def _prepare(database: str, tmp: Path) -> int:
    """Migrate the database and add one municipality, one resident and one report; the report id."""
    from flask_migrate import upgrade
    from geoalchemy2.shape import from_shape
    from shapely.geometry import MultiPolygon, box

    from webapp import create_app
    from webapp.auth import service as users
    from webapp.extensions import db
    from webapp.models import Municipality
    from webapp.reports import service as reports
    from webapp.reports.categories import ensure_categories

    app = create_app({"SQLALCHEMY_DATABASE_URI": database, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False,
                      "PHOTO_DIR": str(tmp / "photos")})
    with app.app_context():
        upgrade()
        db.session.add(Municipality(code="99997", name="벤치시", name_en="Bench City", province="",
                                    geom=from_shape(MultiPolygon([box(127.0, 37.0, 127.1, 37.1)]), srid=4326)))
        db.session.commit()
        ensure_categories()
        author = users.register("bench@example.org", "bench", BENCH_PASSWORD)
        report = reports.create(author, {"lon": 127.05, "lat": 37.05, "category": "traffic",
                                         "title": "bench", "description": "bench"}, [])
        report_id = report.id
        db.engine.dispose()
    return report_id


BENCH_PASSWORD = "otter-harbour-limit-2026"


def main() -> None:
    import tempfile

    from bench.bbox import database_url

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/8", help="limiter storage (memory:// to compare)")
    parser.add_argument("--db", choices=("sqlite", "postgis"), default="sqlite")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    database = database_url(args.db)
    report_id = _prepare(database, tmp)
    env = {"DATABASE_URL": database, "SECRET_KEY": "bench", "PHOTO_DIR": str(tmp / "photos"),
           "RATELIMIT_STORAGE_URI": args.redis, "RATELIMIT_KEY_PREFIX": f"bench-{uuid.uuid4().hex}"}
    with app_processes(2, env) as urls:
        session = browser()
        assert sign_in(session, urls[0], "bench@example.org", BENCH_PASSWORD).status_code == 302
        allowed, refusal = writes_until_refused(session, urls, report_id)
        print(f"two processes {urls[0]} and {urls[1]}, limiter storage {args.redis}, database {args.db}")
        print(f"writes allowed for one user in a minute, alternating processes: {allowed}"
              f" (then 429, Retry-After {refusal.headers.get('Retry-After') if refusal is not None else '-'} s)")
        attempts, refusal = logins_until_refused(urls, "bench@example.org")
        print(f"wrong-password sign-ins answered before the first 429: {attempts}"
              f" (Retry-After {refusal.headers.get('Retry-After') if refusal is not None else '-'} s)")
        print(f"20 wrong-password sign-ins at once for another account, by status: "
              f"{burst_of_logins(urls, 'someone.else@example.org')}")
    if args.redis.startswith("redis"):
        import redis

        connection = redis.Redis.from_url(args.redis)
        keys = list(connection.scan_iter(f"*{env['RATELIMIT_KEY_PREFIX']}*"))
        if keys:
            connection.delete(*keys)


if __name__ == "__main__":
    main()
