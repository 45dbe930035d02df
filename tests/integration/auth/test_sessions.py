"""Sessions end on the server: sign-out and a new password kill every copied cookie; cookie attributes."""
import pytest

from tests.fixtures.database import make_app
from tests.fixtures.people import PASSWORD
from webapp.auth import service as users
from webapp.extensions import db

REPORT = {"lat": 37.05, "lon": 127.05, "category": "traffic", "title": "신호등", "description": "고장"}
NEW_PASSWORD = "otter-harbour-lamp-77"


def _signed_in_as(client):
    """The display name the page header shows, or None for a visitor."""
    page = client.get("/").get_data(as_text=True)
    start = page.find('<span class="who">')
    return page[start + 18:page.index("</span>", start)] if start >= 0 else None


def _copy(app, client, names=("session", "remember_token")):
    """A second client holding copies of `client`'s cookies, as a thief's browser would."""
    thief = app.test_client()
    for name in names:
        cookie = client.get_cookie(name)
        if cookie is not None:
            thief.set_cookie(name, cookie.value)
    return thief


def _set_cookie(response, name):
    headers = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]
    assert headers, response.headers
    return headers[0]


def test_a_copied_session_cookie_is_dead_after_logout(app, client, resident, sign_in):
    sign_in(client, resident)
    thief = _copy(app, client, names=("session",))
    assert _signed_in_as(thief) == "주민"
    client.post("/auth/logout")
    assert _signed_in_as(thief) is None
    assert thief.post("/api/v1/reports", json=REPORT).status_code == 401


def test_a_copied_remember_cookie_is_dead_after_logout(app, client, resident):
    response = client.post("/auth/login", data={"email": resident.email, "password": PASSWORD, "remember": "1"})
    assert response.status_code == 302
    thief = _copy(app, client, names=("remember_token",))
    assert _signed_in_as(thief) == "주민"  # signed in by the remember cookie alone
    client.post("/auth/logout")
    fresh_thief = _copy(app, client, names=())
    fresh_thief.set_cookie("remember_token", thief.get_cookie("remember_token").value)
    assert _signed_in_as(fresh_thief) is None


def test_a_cookie_without_the_session_token_signs_nobody_in(app, client, resident, sign_in):
    from flask.sessions import SecureCookieSessionInterface

    sign_in(client, resident)
    with app.test_request_context():
        serializer = SecureCookieSessionInterface().get_signing_serializer(app)
        forged = serializer.dumps({"_user_id": str(resident.id), "_fresh": True})
    other = app.test_client()
    other.set_cookie("session", forged)
    assert _signed_in_as(other) is None


def test_changing_the_password_signs_out_other_sessions_but_not_this_one(app, resident, sign_in):
    here, elsewhere = sign_in(app.test_client(), resident), sign_in(app.test_client(), resident)
    copy_before = _copy(app, here)
    response = here.post("/auth/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD,
                                                 "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert _signed_in_as(here) == "주민"
    assert here.post("/api/v1/reports", json=REPORT).status_code == 201
    assert _signed_in_as(elsewhere) is None and _signed_in_as(copy_before) is None
    db.session.expire_all()
    assert users.authenticate(resident.email, PASSWORD) is None
    assert users.authenticate(resident.email, NEW_PASSWORD).id == resident.id


def test_changing_the_password_renews_a_remember_cookie(app, client, resident):
    client.post("/auth/login", data={"email": resident.email, "password": PASSWORD, "remember": "1"})
    old = client.get_cookie("remember_token").value
    client.post("/auth/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD,
                                        "new_password2": NEW_PASSWORD})
    new = client.get_cookie("remember_token").value
    assert new != old
    only_new, only_old = app.test_client(), app.test_client()
    only_new.set_cookie("remember_token", new)
    only_old.set_cookie("remember_token", old)
    assert _signed_in_as(only_new) == "주민" and _signed_in_as(only_old) is None


@pytest.mark.parametrize("form, field, message", [
    ({"current_password": "not-my-password", "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
     "current_password", "The current password is wrong."),
    ({"current_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"},
     "new_password2", "The two new passwords differ."),
    ({"current_password": PASSWORD, "new_password": "password1234", "new_password2": "password1234"},
     "new_password", "This password is too common."),
    ({"current_password": PASSWORD, "new_password": "short", "new_password2": "short"},
     "new_password", "Use at least 10 characters."),
    ({"current_password": PASSWORD, "new_password": "resident-on-the-map", "new_password2": "resident-on-the-map"},
     "new_password", "The password must not contain your e-mail address or your name."),
])
def test_a_refused_password_change_keeps_everything(client, resident, sign_in, form, field, message):
    sign_in(client, resident)
    other = sign_in(client.application.test_client(), resident)
    response = client.post("/auth/password?lang=en", data=form)
    assert response.status_code == 422
    assert f'id="{field}-error">{message}' in response.get_data(as_text=True)
    assert _signed_in_as(other) == "주민"
    db.session.expire_all()
    assert users.authenticate(resident.email, PASSWORD) is not None


def test_password_page_is_for_signed_in_users_and_linked_from_the_header(client, resident, sign_in):
    response = client.get("/auth/password")
    assert response.status_code == 302 and response.location.startswith("/auth/login?next=")
    assert 'id="password-link"' not in client.get("/").get_data(as_text=True)
    sign_in(client, resident)
    assert 'href="/auth/password" id="password-link"' in client.get("/").get_data(as_text=True)
    page = client.get("/auth/password")
    assert page.status_code == 200 and 'id="password-form"' in page.get_data(as_text=True)


def test_cookies_are_httponly_and_samesite_lax_but_not_secure_over_http(client, resident):
    response = client.post("/auth/login", data={"email": resident.email, "password": PASSWORD, "remember": "1"})
    for name in ("session", "remember_token"):
        header = _set_cookie(response, name)
        assert "HttpOnly" in header and "SameSite=Lax" in header, header
        assert "Secure" not in header, header


def test_both_cookies_are_secure_when_the_https_setting_is_on(database_url, tmp_path, app, resident):
    # CSRF is not what this test is about; its token would have to be fetched over HTTPS first.
    secure = make_app(database_url, tmp_path, SESSION_COOKIE_SECURE=True, WTF_CSRF_ENABLED=False)
    client = secure.test_client()
    response = client.post("https://localhost/auth/login",
                           data={"email": resident.email, "password": PASSWORD, "remember": "1"})
    assert response.status_code == 302
    for name in ("session", "remember_token"):
        header = _set_cookie(response, name)
        assert "Secure" in header and "HttpOnly" in header and "SameSite=Lax" in header, header
    with secure.app_context():
        db.engine.dispose()
