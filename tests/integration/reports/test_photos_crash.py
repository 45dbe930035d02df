"""Photo files appear only after their report's commit; crashes leave nothing the cleanup cannot finish."""
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from tests.fixtures.db_lock import reports_write_lock
from webapp.extensions import db
from webapp.models import Report, ReportPhoto

ROOT = Path(__file__).resolve().parents[3]
GOOD = {"lat": "37.05", "lon": "127.05", "category": "safety", "title": "깨진 가로등", "description": "위험합니다."}


def _post(client, *photos):
    form = {**GOOD, "photos": [(io.BytesIO(p), f"photo{i}.jpg") for i, p in enumerate(photos)]}
    return client.post("/api/v1/reports", data=form, content_type="multipart/form-data")


def _names(folder):
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _temps(folder):
    return [n for n in _names(folder) if n.startswith(".") and n.endswith(".tmp")]


def _finals(folder):
    return [n for n in _names(folder) if not n.startswith(".")]


def _rows():
    db.session.rollback()  # see what other connections committed
    return sorted(db.session.scalars(select(ReportPhoto.filename)))


def _wait_for(condition, seconds=20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def failing_photo_insert(app, db_kind):
    """A trigger that makes the database refuse every new report photo, so the commit really fails."""
    statements = {
        "sqlite": ["CREATE TRIGGER refuse_photo BEFORE INSERT ON report_photos "
                   "BEGIN SELECT RAISE(ABORT, 'photos refused'); END"],
        "postgis": [
            "CREATE FUNCTION refuse_photo() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'photos refused'; END $$",
            "CREATE TRIGGER refuse_photo BEFORE INSERT ON report_photos "
            "FOR EACH ROW EXECUTE FUNCTION refuse_photo()",
        ],
    }[db_kind]
    drops = {"sqlite": ["DROP TRIGGER refuse_photo"],
             "postgis": ["DROP TRIGGER refuse_photo ON report_photos", "DROP FUNCTION refuse_photo()"]}[db_kind]
    with app.app_context():
        with db.engine.begin() as conn:
            for sql in statements:
                conn.execute(text(sql))
    yield
    with app.app_context():
        with db.engine.begin() as conn:
            for sql in drops:
                conn.execute(text(sql))


def test_failed_commit_leaves_no_file(client, resident, sign_in, photo_dir, jpeg_bytes, failing_photo_insert):
    sign_in(client, resident)
    response = _post(client, jpeg_bytes(), jpeg_bytes())
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == "internal_error"
    assert _names(photo_dir) == []
    assert db.session.scalar(select(func.count(Report.id))) == 0


def test_photo_is_not_visible_before_the_commit(client, resident, sign_in, photo_dir, jpeg_bytes):
    sign_in(client, resident)
    answers = []
    with reports_write_lock():
        worker = threading.Thread(target=lambda: answers.append(_post(client, jpeg_bytes(), jpeg_bytes())))
        worker.start()
        assert _wait_for(lambda: len(_temps(photo_dir)) == 2), _names(photo_dir)
        # Written, fsynced, waiting for the commit: nothing under a final name, nothing served.
        assert _finals(photo_dir) == []
        for temp in _temps(photo_dir):
            assert client.get(f"/reports/photos/{temp}").status_code == 404
            assert client.get(f"/reports/photos/{temp[1:-4]}").status_code == 404
        assert worker.is_alive()  # still blocked in the commit
    worker.join(30)
    [response] = answers
    assert response.status_code == 201, response.get_data(as_text=True)
    urls = response.get_json()["properties"]["photos"]
    assert _temps(photo_dir) == [] and _finals(photo_dir) == _rows() and len(_rows()) == 2
    for url in urls:
        assert client.get(url).status_code == 200


# Files a report with two photos through the service, in a process of its own (the test kills it).
CHILD = """
import io, json, os, sys
sys.path.insert(0, os.environ["APP_ROOT"])
from PIL import Image
from webapp import create_app
from webapp.extensions import db
from webapp.models import User
from webapp.reports import service as reports

args = json.loads(os.environ["CHILD_ARGS"])
app = create_app({"SQLALCHEMY_DATABASE_URI": args["url"], "PHOTO_DIR": args["photo_dir"],
                  "SECRET_KEY": "child", "RATELIMIT_ENABLED": False})

def jpeg(color):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(buffer, "JPEG")
    return buffer.getvalue()

with app.app_context():
    user = db.session.get(User, args["user_id"])
    reports.create(user, args["data"], [jpeg("red"), jpeg("blue")])
print("filed")
"""


def _run_child(app, photo_dir, user_id):
    env = {**os.environ, "APP_ROOT": str(ROOT), "SECRET_KEY": "child", "CHILD_ARGS": json.dumps({
        "url": app.config["SQLALCHEMY_DATABASE_URI"], "photo_dir": str(photo_dir), "user_id": user_id,
        "data": {"lat": 37.05, "lon": 127.05, "category": "safety", "title": "넘어진 표지판",
                 "description": "길을 막고 있습니다."},
    })}
    return subprocess.Popen([sys.executable, "-c", CHILD], env=env, cwd=str(ROOT),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _cleanup(app, *args):
    result = app.test_cli_runner().invoke(args=["photos", "cleanup", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_process_killed_before_the_commit_leaves_temp_files_that_cleanup_removes(
        app, client, resident, sign_in, photo_dir, jpeg_bytes):
    sign_in(client, resident)
    kept = _post(client, jpeg_bytes())  # a report whose photo must survive every cleanup
    assert kept.status_code == 201
    with reports_write_lock():
        child = _run_child(app, photo_dir, resident.id)
        try:
            written = _wait_for(lambda: len(_temps(photo_dir)) == 2 or child.poll() is not None, 60)
            assert written and child.poll() is None, child.communicate()
            child.send_signal(signal.SIGKILL)  # the worker dies while its commit waits for the lock
            child.wait(10)
        finally:
            if child.poll() is None:
                child.kill()
    assert child.returncode == -signal.SIGKILL
    leftovers = _temps(photo_dir)
    assert len(leftovers) == 2 and db.session.scalar(select(func.count(Report.id))) == 1
    assert len(_finals(photo_dir)) == 1 == len(_rows())

    young = _cleanup(app)  # the default grace period: an upload in flight looks just like these
    assert _temps(photo_dir) == leftovers and "2 younger than 60 min left alone" in young
    dry = _cleanup(app, "--older-than", "0", "--dry-run")
    assert all(f"would remove {name}" in dry for name in leftovers) and "dry run: 0 to publish, 2 to remove" in dry
    assert _temps(photo_dir) == leftovers

    done = _cleanup(app, "--older-than", "0")
    assert all(f"remove {name} (no report photo names it)" in done for name in leftovers)
    assert "0 published, 2 removed, 1 kept" in done
    assert _names(photo_dir) == _rows() and len(_rows()) == 1


def test_cleanup_finishes_a_photo_committed_but_not_yet_renamed(
        app, client, resident, sign_in, photo_dir, jpeg_bytes):
    sign_in(client, resident)
    [url] = _post(client, jpeg_bytes()).get_json()["properties"]["photos"]
    [name] = _rows()
    # Exactly what a crash between the commit and the rename leaves: the row, and the file's temporary name.
    (photo_dir / name).rename(photo_dir / f".{name}.tmp")
    orphan = photo_dir / ("ab" * 16 + ".jpg")  # a final name that no row holds
    orphan.write_bytes(jpeg_bytes())
    other = photo_dir / "README.txt"  # not a photo of ours: never touched
    other.write_text("notes")
    old = time.time() - 2 * 3600
    for path in photo_dir.iterdir():
        os.utime(path, (old, old))
    in_flight = photo_dir / (".%s.jpg.tmp" % ("cd" * 16))  # just written by an upload still running
    in_flight.write_bytes(jpeg_bytes())
    assert client.get(url).status_code == 404

    output = _cleanup(app)
    assert f"publish {name} (its report was committed)" in output
    assert f"remove {orphan.name} (no report photo names it)" in output
    assert "1 published, 1 removed, 0 kept, 1 younger than 60 min left alone, 0 missing" in output
    assert sorted(_names(photo_dir)) == sorted([name, in_flight.name, other.name])
    assert client.get(url).status_code == 200
