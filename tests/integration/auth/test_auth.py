"""Accounts: registration, login, logout, password hashing and safe redirects."""
import pytest
from sqlalchemy import func, select

from tests.fixtures.people import PASSWORD
from webapp.auth import service as users
from webapp.extensions import db
from webapp.models import User

NEW = {"email": "New.Person@Example.org", "display_name": "새 주민", "password": "correct horse"}
REPORT = {"lat": 37.05, "lon": 127.05, "category": "traffic", "title": "신호등", "description": "고장"}


def _signed_in_as(client):
    """The display name the page header shows, or None for a visitor."""
    page = client.get("/").get_data(as_text=True)
    start = page.find('<span class="who">')
    return page[start + 18:page.index("</span>", start)] if start >= 0 else None


def _users():
    return db.session.scalar(select(func.count(User.id)))


def test_register_creates_account_without_signing_in(client, places):
    response = client.post("/auth/register", data=NEW)
    assert response.status_code == 302 and response.location == "/auth/login"
    user = users.find_by_email("new.person@example.org")
    assert user.email == "new.person@example.org" and user.display_name == "새 주민"
    assert _signed_in_as(client) is None
    client.post("/auth/login", data={"email": NEW["email"], "password": NEW["password"]})
    assert _signed_in_as(client) == "새 주민"
    assert client.post("/api/v1/reports", json=REPORT).status_code == 201


def test_password_is_stored_hashed(client, places):
    client.post("/auth/register", data=NEW)
    user = users.find_by_email(NEW["email"])
    assert user.password_hash != NEW["password"] and NEW["password"] not in user.password_hash
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))
    assert user.check_password(NEW["password"]) and not user.check_password("wrong horse")
    other = users.register("other@example.org", "다른", NEW["password"])
    assert other.password_hash != user.password_hash  # salted


@pytest.mark.parametrize("email", ["resident@example.org", " RESIDENT@Example.org "])
def test_registering_a_taken_address_answers_like_a_new_one(client, resident, email):
    new = client.post("/auth/register?lang=en", data={**NEW, "email": "fresh@example.org"})
    taken = client.post("/auth/register?lang=en", data={**NEW, "email": email})
    assert taken.status_code == new.status_code == 302 and taken.location == new.location == "/auth/login"
    page = client.get("/auth/login?lang=en").get_data(as_text=True)
    assert page.count("If this address is new, your account is ready: log in with it.") == 2
    assert "exists" not in page
    assert _users() == 2 and _signed_in_as(client) is None
    db.session.expire_all()
    assert users.find_by_email("resident@example.org").check_password(PASSWORD)  # the account is untouched


@pytest.mark.parametrize("field, value, message", [
    ("password", "short", "10자 이상 입력해 주세요."),
    ("password", "123456789", "10자 이상 입력해 주세요."),
    ("email", "not-an-address", "올바른 이메일 주소가 아닙니다."),
    ("display_name", "", "필수 입력 항목입니다."),
])
def test_invalid_registration_shows_the_field_error(client, places, field, value, message):
    response = client.post("/auth/register", data={**NEW, field: value})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error">{message}' in page
    assert _users() == 0


def test_login_and_logout(client, resident):
    response = client.post("/auth/login", data={"email": "Resident@Example.org", "password": PASSWORD})
    assert response.status_code == 302 and response.location == "/"
    assert _signed_in_as(client) == "주민"
    assert client.post("/auth/logout").status_code == 302
    assert _signed_in_as(client) is None
    assert client.post("/api/v1/reports", json=REPORT).status_code == 401


def test_logout_needs_post_with_csrf_token(client, resident, sign_in):
    sign_in(client, resident)
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout", csrf=False).status_code == 400
    assert _signed_in_as(client) == "주민"


@pytest.mark.parametrize("email, password", [
    ("resident@example.org", "wrong-password"),
    ("nobody@example.org", PASSWORD),
    ("resident@example.org", ""),
])
def test_wrong_credentials_are_a_401_page_with_message(client, resident, email, password):
    response = client.post("/auth/login", data={"email": email, "password": password})
    assert response.status_code == 401 and response.mimetype == "text/html"
    assert "이메일 주소 또는 비밀번호가 올바르지 않습니다." in response.get_data(as_text=True)
    assert _signed_in_as(client) is None


def test_wrong_password_message_in_english(client, resident):
    response = client.post("/auth/login?lang=en", data={"email": resident.email, "password": "nope-nope"})
    assert "The e-mail address or password is wrong." in response.get_data(as_text=True)


def test_inactive_account_cannot_log_in(client, resident):
    resident.active = False
    db.session.commit()
    assert client.post("/auth/login", data={"email": resident.email, "password": PASSWORD}).status_code == 401


def test_pages_for_members_send_visitors_to_login_and_back(client, resident):
    response = client.get("/reports/new")
    assert response.status_code == 302 and response.location.startswith("/auth/login?next=")
    login_page = client.get(response.location).get_data(as_text=True)
    assert 'action="/auth/login?next=/reports/new"' in login_page
    back = client.post("/auth/login?next=/reports/new", data={"email": resident.email, "password": PASSWORD})
    assert back.location == "/reports/new"


@pytest.mark.parametrize("target", [
    "https://evil.example/steal",
    "//evil.example/steal",
    "/\\evil.example/steal",
    "\\\\evil.example",
    "/\t/evil.example",
    "http:/evil.example",
    "javascript:alert(1)",
    "/reports\r\nLocation: https://evil.example",
])
def test_open_redirect_in_next_is_refused(client, resident, target):
    response = client.post("/auth/login", query_string={"next": target},
                           data={"email": resident.email, "password": PASSWORD})
    # A target with control characters is refused before it gets here (422); any other goes home.
    assert (response.status_code, response.location) in ((302, "/"), (422, None))
    language = client.get("/auth/language/en", query_string={"next": target})
    assert (language.status_code, language.location) in ((302, "/"), (422, None))


def test_password_keeps_its_spaces(client, places):
    client.post("/auth/register", data={**NEW, "password": " spaced out "})
    client.post("/auth/logout")
    wrong = client.post("/auth/login", data={"email": NEW["email"], "password": "spaced out"})
    assert wrong.status_code == 401
    right = client.post("/auth/login", data={"email": NEW["email"], "password": " spaced out "})
    assert right.status_code == 302


def test_register_sends_to_login_keeping_a_safe_next(client, places):
    response = client.post("/auth/register?next=/reports/new", data=NEW)
    assert response.location == "/auth/login?next=/reports/new"
    unsafe = client.post("/auth/register?next=//evil.example", data={**NEW, "email": "x@example.org"})
    assert unsafe.location == "/auth/login"


def test_language_choice_is_remembered(client, places):
    assert client.get("/auth/language/en?next=/reports/1").location == "/reports/1"
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    client.get("/auth/language/ko")
    assert '<html lang="ko">' in client.get("/").get_data(as_text=True)


def test_simultaneous_registration_with_one_address_is_answered_neutrally(client, resident, monkeypatch):
    # Both requests passed the "is the address free?" check; the database constraint decides.
    monkeypatch.setattr(users, "find_by_email", lambda email: None)
    response = client.post("/auth/register", data={**NEW, "email": resident.email})
    assert response.status_code == 302 and response.location == "/auth/login"
    assert _users() == 1


@pytest.mark.parametrize("password", ["qwertyuiop", "Password123", "1234567890", "QWERTY123456", "iloveyou12"])
def test_common_passwords_are_refused_whatever_their_case(client, places, password):
    response = client.post("/auth/register?lang=en", data={**NEW, "password": password})
    assert response.status_code == 422
    assert 'id="password-error">This password is too common.' in response.get_data(as_text=True)
    assert _users() == 0


def test_common_password_list_is_shipped_and_large():
    listed = users.common_passwords()
    assert len(listed) > 4000 and {"password", "12345678", "password123", "qwertyuiop"} <= listed
    assert all(p == p.lower() for p in listed)


@pytest.mark.parametrize("email, name, password", [
    ("minji.kim@example.org", "민지", "minji.kim-loves-maps"),
    ("minji@example.org", "Haneul Park", "my-HANEUL-park-2026"),
    ("minji@example.org", "하늘공원", "하늘공원에서만나요2026"),
])
def test_passwords_with_the_users_own_address_or_name_are_refused(client, places, email, name, password):
    response = client.post("/auth/register?lang=en", data={"email": email, "display_name": name,
                                                           "password": password})
    assert response.status_code == 422
    assert 'id="password-error">The password must not contain your e-mail address or your name.' in (
        response.get_data(as_text=True))
    assert _users() == 0


def test_cli_account_creation_still_says_the_address_exists(ctx, resident):
    from webapp.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as err:
        users._new_user(resident.email, "someone", "another-strong-pass-9")
    assert "email" in err.value.fields


def _fastest_seconds(action, times=5) -> float:
    """The shortest of several runs: load on the machine only ever adds time."""
    import time

    durations = []
    for _ in range(times):
        start = time.perf_counter()
        action()
        durations.append(time.perf_counter() - start)
    return min(durations)


def test_login_with_an_unknown_address_takes_as_long_as_with_a_known_one(client, resident):
    known = _fastest_seconds(lambda: client.post("/auth/login", data={"email": resident.email,
                                                                     "password": "not-the-password"}))
    unknown = _fastest_seconds(lambda: client.post("/auth/login", data={"email": "nobody@example.org",
                                                                       "password": "not-the-password"}))
    # Both check one password hash (tens of milliseconds); without the dummy check the unknown
    # address answered in a small fraction of the time.
    assert unknown > 0.5 * known, (known, unknown)


def test_registering_a_taken_address_takes_as_long_as_a_new_one(client, resident):
    fresh = (f"n{i}@example.org" for i in range(100))
    new = _fastest_seconds(lambda: client.post("/auth/register", data={**NEW, "email": next(fresh)}))
    taken = _fastest_seconds(lambda: client.post("/auth/register", data={**NEW, "email": resident.email}))
    assert taken > 0.5 * new, (new, taken)
