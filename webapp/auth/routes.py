"""Account pages."""
from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_required, login_user, logout_user

from webapp.auth import bp
from webapp.errors import ValidationFailed
from webapp.i18n import current_language
from webapp.ratelimit import write_limit
from webapp.schemas.common import load
from webapp.schemas.users import LoginIn, RegisterIn
from webapp.services import users


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
def register():
    errors = {}
    if request.method == "POST":
        try:
            data = load(RegisterIn(), request.form.to_dict())
            user = users.register(data["email"], data["display_name"], data["password"], current_language())
        except ValidationFailed as err:
            errors = err.fields
        else:
            login_user(user)
            flash(_("Welcome! Your account is ready."), "success")
            return redirect(_safe_next(url_for("map.index")))
    return render_template("auth/register.html", errors=errors, form=request.form), 422 if errors else 200


@bp.route("/login", methods=["GET", "POST"])
@write_limit
def login():
    error = None
    if request.method == "POST":
        try:
            data = load(LoginIn(), request.form.to_dict())
        except ValidationFailed:
            data = None
        user = users.authenticate(data["email"], data["password"]) if data else None
        if user:
            login_user(user, remember=bool(request.form.get("remember")))
            return redirect(_safe_next(url_for("map.index")))
        error = _("The e-mail address or password is wrong.")
    return render_template("auth/login.html", error=error, form=request.form), 401 if error else 200


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    return redirect(url_for("map.index"))


@bp.get("/language/<code>")
def language(code: str):
    if code in ("ko", "en"):
        session["lang"] = code
    return redirect(_safe_next(url_for("map.index")))
