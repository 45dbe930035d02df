"""Account pages."""
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from webapp.auth import service as users
from webapp.auth.schemas import LoginIn, PasswordChangeIn, RegisterIn
from webapp.core import ratelimit
from webapp.core.fields import load
from webapp.core.i18n import current_language
from webapp.core.ratelimit import register_limit, write_limit
from webapp.errors import ValidationFailed

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _safe_next(default: str) -> str:
    """`next` when it is a path on this site, else `default` (no open redirects)."""
    target = request.values.get("next") or ""
    # Browsers read a backslash as "/" and drop tabs and newlines: "/\evil.example" is "//evil.example".
    if "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return default
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc and not parts.scheme:
        return target
    return default


@bp.route("/register", methods=["GET", "POST"])
@write_limit
@register_limit
def register():
    errors = {}
    if request.method == "POST":
        try:
            data = load(RegisterIn(), request.form.to_dict())
            users.register(data["email"], data["display_name"], data["password"], current_language())
        except ValidationFailed as err:
            errors = err.fields
        else:
            # The same answer whether the address was new or not: registration does not tell
            # who has an account. Nobody is signed in here; the new account logs in as usual.
            flash(_("If this address is new, your account is ready: log in with it."), "success")
            return redirect(url_for("auth.login", next=_safe_next("") or None))
    return render_template("auth/register.html", errors=errors, form=request.form,
                           min_length=users.MIN_PASSWORD), 422 if errors else 200


@bp.route("/login", methods=["GET", "POST"])
@write_limit
def login():
    error = None
    if request.method == "POST":
        try:
            data = load(LoginIn(), request.form.to_dict())
        except ValidationFailed:
            data = None
        user = None
        if data:
            ratelimit.begin_login(data["email"])
            user = users.authenticate(data["email"], data["password"])
            if user is None:
                ratelimit.login_failed(data["email"])
        if user:
            ratelimit.login_succeeded(data["email"])
            login_user(user, remember=bool(request.form.get("remember")))
            return redirect(_safe_next(url_for("map.index")))
        error = _("The e-mail address or password is wrong.")
    return render_template("auth/login.html", error=error, form=request.form), 401 if error else 200


@bp.post("/logout")
@login_required
def logout():
    # A new session token: a copy of this session or remember cookie no longer signs anyone in.
    users.end_sessions(current_user._get_current_object())
    logout_user()
    return redirect(url_for("map.index"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
@write_limit
def password():
    errors = {}
    if request.method == "POST":
        user = current_user._get_current_object()
        try:
            data = load(PasswordChangeIn(), request.form.to_dict())
        except ValidationFailed as err:
            errors = err.fields
        else:
            errors = _change_password(user, data)
        if not errors:
            # Every other session ended with the old token; this browser gets the new one.
            remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
            login_user(user, remember=remembered)
            flash(_("Your password is changed. You were signed out everywhere else."), "success")
            return redirect(url_for("map.index"))
    return render_template("auth/password.html", errors=errors, min_length=users.MIN_PASSWORD), 422 if errors else 200


def _change_password(user, data: dict) -> dict:
    """Field errors of the change (none when done); the current password counts as a sign-in attempt."""
    # So it is guessed no faster here than on the login page.
    ratelimit.begin_login(user.email)
    try:
        users.change_password(user, data["current_password"], data["new_password"], data["new_password2"])
    except ValidationFailed as err:
        if "current_password" in err.fields:
            ratelimit.login_failed(user.email)
        else:
            ratelimit.login_succeeded(user.email)
        return err.fields
    ratelimit.login_succeeded(user.email)
    return {}


@bp.get("/language/<code>")
def language(code: str):
    if code in ("ko", "en"):
        session["lang"] = code
    return redirect(_safe_next(url_for("map.index")))
