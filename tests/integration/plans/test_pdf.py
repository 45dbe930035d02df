"""The plan PDF from requirements.txt alone (WeasyPrint): Korean text in it, nothing fetched but our CSS."""
import io
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.fixtures.plans import make_plan, submit
from webapp.plans.views.pdf import render_pdf

ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS = ROOT / "test-artifacts"
# Makes a PDF in a process that cannot import Playwright (a test tool, only in requirements-dev.txt).
PRODUCTION_PDF = """
import sys
from webapp import create_app
from webapp.plans.views.pdf import render_pdf
app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", "RATELIMIT_ENABLED": False})
with app.test_request_context():
    sys.stdout.buffer.write(render_pdf('<html lang="ko"><body><h1>운영 서버의 계획서</h1></body></html>'))
"""


@pytest.fixture
def plan(planner, resident, add_report, places):
    plan = make_plan(places["east"], planner, reports=[add_report(resident, title="위험한 횡단보도")])
    submit(plan, planner)
    return plan


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_pdf_holds_the_korean_text_in_a_cjk_font(client, plan, db_kind, caplog):
    response = client.get(f"/plans/{plan.id}/plan.pdf")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"{db_kind}-plan.pdf").write_bytes(response.data)  # to look at: pdftoppm -png
    text = _text(response.data)
    assert "동시 스마트 안전 계획" in text and "스마트 횡단보도 설치" in text and "초등학교 앞" in text
    assert PdfReader(io.BytesIO(response.data)).metadata.title.startswith("동시 스마트 안전 계획")
    assert any("CJK" in name for name in _fonts(response.data)), _fonts(response.data)
    # Our stylesheets reach the renderer as written (`a > b`, not an HTML-escaped `a &gt; b`).
    messages = [r.getMessage() for r in caplog.records if r.name == "weasyprint"]
    assert [m for m in messages if "selector" in m or "qualified rule" in m] == []


def test_pdf_needs_only_the_runtime_requirements(tmp_path):
    blocked = tmp_path / "blocked" / "playwright"
    blocked.mkdir(parents=True)
    (blocked / "__init__.py").write_text('raise ImportError("playwright is not in requirements.txt")\n')
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": f"{blocked.parent}:{ROOT}"}
    done = subprocess.run([sys.executable, "-c", PRODUCTION_PDF], capture_output=True, env=env, cwd=tmp_path,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-2000:]
    assert "운영 서버의 계획서" in _text(done.stdout)


class _Recorder(BaseHTTPRequestHandler):
    hits: list = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red; }")

    def log_message(self, *args):
        pass


@pytest.fixture
def web_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.hits = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", _Recorder.hits
    server.shutdown()


def test_pdf_fetches_nothing_but_our_stylesheets(app, web_server, caplog):
    address, hits = web_server
    html = (f'<html lang="ko"><head><link rel="stylesheet" href="{address}/remote.css">'
            '<link rel="stylesheet" href="/static/css/app.css">'
            f'<style>@import url("{address}/imported.css"); @import url("file:///etc/passwd");</style></head>'
            f'<body><h1>한글 제목</h1><img src="{address}/photo.png"><img src="../app.py"></body></html>')
    with app.test_request_context():
        pdf = render_pdf(html)
    assert "한글 제목" in _text(pdf)
    assert hits == []
    refused = " ".join(r.getMessage() for r in caplog.records if "refused" in r.getMessage())
    assert "remote.css" in refused and "imported.css" in refused and "photo.png" in refused
    assert "/etc/passwd" in refused and "app.py" in refused and "css/app.css" not in refused
