"""Content-Security-Policy and the other security headers on every kind of response."""
import io

import pytest

from tests.fixtures.database import make_app
from tests.fixtures.reports import image_bytes
from webapp.security import content_security_policy, tile_origin

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def _directives(response) -> dict:
    policy = response.headers["Content-Security-Policy"]
    pairs = [part.strip().split() for part in policy.split(";") if part.strip()]
    return {name: sources for name, *sources in pairs}


def _assert_secured(response):
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, (name, response.headers)
    csp = _directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"]
    assert csp["connect-src"] == ["'self'"]
    assert {"'self'", "data:", "blob:"} <= set(csp["img-src"])
    assert "Strict-Transport-Security" not in response.headers


@pytest.fixture
def photo_url(client, resident, sign_in, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "PHOTO_DIR", str(tmp_path / "photos"))
    sign_in(client, resident)
    form = {"lat": "37.05", "lon": "127.05", "category": "safety", "title": "깨진 가로등", "description": "위험합니다.",
            "photos": [(io.BytesIO(image_bytes()), "p.jpg")]}
    response = client.post("/api/v1/reports", data=form, content_type="multipart/form-data")
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["properties"]["photos"][0]


def test_html_page_has_headers(client, places):
    response = client.get("/")
    assert response.status_code == 200 and response.mimetype == "text/html"
    _assert_secured(response)


def test_json_api_response_has_headers(client, places):
    response = client.get("/api/v1/reports?bbox=127,37,127.1,37.1")
    assert response.status_code == 200 and response.is_json
    _assert_secured(response)


def test_api_error_and_html_404_have_headers(client, places):
    api = client.get("/api/v1/reports/999999")
    assert api.status_code == 404 and api.is_json
    _assert_secured(api)
    page = client.get("/no-such-page")
    assert page.status_code == 404
    _assert_secured(page)


def test_static_file_has_headers(client):
    response = client.get("/static/js/common.js")
    assert response.status_code == 200
    _assert_secured(response)
    response.close()


def test_report_photo_has_headers(client, photo_url):
    response = client.get(photo_url)
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    _assert_secured(response)
    response.close()


def test_hsts_only_over_https(client, places):
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert {name: secure.headers.get(name) for name in HEADERS} == HEADERS


def test_forwarded_https_is_trusted_only_with_proxy_fix(database_url, tmp_path):
    forwarded = {"X-Forwarded-Proto": "https"}
    plain = make_app(database_url, tmp_path).test_client().get("/static/js/common.js", headers=forwarded)
    assert "Strict-Transport-Security" not in plain.headers
    plain.close()
    proxied = make_app(database_url, tmp_path, PROXY_FIX=1).test_client()
    response = proxied.get("/static/js/common.js", headers=forwarded)
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    response.close()


def test_tile_origin_is_allowed_for_images(database_url, tmp_path):
    app = make_app(database_url, tmp_path, TILE_URL="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    response = app.test_client().get("/static/js/common.js")
    assert _directives(response)["img-src"] == ["'self'", "data:", "blob:", "https://tile.openstreetmap.org"]
    response.close()


def test_tile_origin_forms():
    assert tile_origin("https://{s}.tile.example.org/{z}/{x}/{y}.png") == "https://*.tile.example.org"
    assert tile_origin("http://127.0.0.1:8080/tiles/{z}/{x}/{y}.png") == "http://127.0.0.1:8080"
    assert tile_origin("/tiles/{z}/{x}/{y}.png") is None
    assert tile_origin("") is None
    assert "img-src 'self' data: blob:;" in content_security_policy("")


def test_lazy_messages_with_user_text_are_escaped_in_templates(app):
    from flask import render_template_string
    from flask_babel import lazy_gettext

    with app.test_request_context("/?lang=en"):
        message = lazy_gettext("Item %(n)d (%(title)s) names no catalogue solution.", n=1,
                               title='<img src=x onerror="alert(1)">')
        shown = render_template_string("<p>{{ m }}</p><p>{{ [m]|join(' ') }}</p>", m=message)
    assert "<img" not in shown
    assert shown.count("&lt;img src=x onerror=&#34;alert(1)&#34;&gt;") == 2


def test_plan_editor_escapes_rule_messages_naming_items(client, planner, sign_in, places):
    from tests.fixtures.plans import make_plan
    from webapp.extensions import db

    plan = make_plan(places["east"], planner)
    plan.items[1].title = "<script>alert(1)</script>"
    db.session.commit()
    sign_in(client, planner)
    page = client.get(f"/plans/{plan.id}/edit").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
