"""One error type for the whole app: a JSON envelope for the API, an HTML page for the web."""
import time

from flask import jsonify, make_response, render_template, request
from flask_babel import gettext, lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from marshmallow import Schema, fields as ma_fields
from werkzeug.exceptions import HTTPException


class AppError(Exception):
    """A failure the user can understand: HTTP status, stable code, translated message, fields."""

    status = 400
    code = "bad_request"

    def __init__(self, message=None, fields=None, status=None, code=None, details=None):
        # Keep a lazy message lazy: it is translated when shown, and a command-line caller
        # (no request, so no language yet) can still raise and catch it.
        super().__init__(message if message is not None else "")
        self.message = message
        # Every field maps to a list of messages (or a nested mapping), whatever raised it.
        self.fields = {k: v if isinstance(v, (list, dict)) else [v] for k, v in (fields or {}).items()}
        self.status = status or self.status
        self.code = code or self.code
        # Machine-readable particulars (JSON-ready), e.g. the rule violations as codes and numbers.
        self.details = details


class ValidationFailed(AppError):
    status, code = 422, "validation_failed"


class Unauthorized(AppError):
    status, code = 401, "unauthorized"


class Forbidden(AppError):
    status, code = 403, "forbidden"


class NotFound(AppError):
    status, code = 404, "not_found"


class Conflict(AppError):
    status, code = 409, "conflict"


_DEFAULT_MESSAGES = {
    400: _l("The request could not be understood."),
    401: _l("Please log in first."),
    403: _l("You are not allowed to do this."),
    404: _l("Not found."),
    405: _l("This method is not allowed here."),
    409: _l("This conflicts with the current state."),
    413: _l("The upload is too large."),
    415: _l("Send the request body as JSON."),
    422: _l("Some fields are not valid."),
    429: _l("Too many requests. Please wait a moment and try again."),
    500: _l("Something went wrong on our side. Please try again."),
    503: _l("The service is briefly unavailable. Please try again in a moment."),
}


def default_message(status: int) -> str:
    """A translated message for an HTTP status."""
    return str(_DEFAULT_MESSAGES.get(status, _DEFAULT_MESSAGES[400]))


def _translate_fields(fields: dict) -> dict:
    """Field messages in the user's language, always as lists (nested schemas stay nested)."""
    return {name: _messages(value) for name, value in fields.items()}


def _messages(value):
    if isinstance(value, dict):
        return _translate_fields(value)
    if isinstance(value, (list, tuple)):
        return [_messages(v) if isinstance(v, dict) else gettext(str(v)) for v in value]
    return [gettext(str(value))]


class ErrorOut(Schema):
    """The API error: a stable code, a message in the viewer's language, field messages and details if any."""

    code = ma_fields.String(required=True)
    message = ma_fields.String(required=True)
    # Messages by field; rows of a list nest by their index ({"budget_lines": {"0": {"amount": [...]}}}).
    fields = ma_fields.Dict(keys=ma_fields.String(), values=ma_fields.Raw())
    details = ma_fields.Raw()


class EnvelopeOut(Schema):
    """Every API error answers with this body: {"error": {...}}."""

    error = ma_fields.Nested(ErrorOut, required=True)


def envelope(status: int, code: str, message, fields=None, details=None):
    """The API error body, as a (response, status) pair."""
    error = {"code": code, "message": str(message or default_message(status))}
    if fields:
        error["fields"] = _translate_fields(fields)
    if details is not None:
        error["details"] = details
    return jsonify(EnvelopeOut().dump({"error": error})), status


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _render(status: int, code: str, message=None, fields=None, details=None):
    if _wants_json():
        return envelope(status, code, message, fields, details)
    text = str(message or default_message(status))
    return render_template("error.html", status=status, message=text), status


def _retry_after(err) -> int:
    """Seconds until a refused request may be tried again."""
    from webapp.extensions import limiter

    if getattr(err, "retry_after", None):
        return err.retry_after
    current = limiter.current_limit
    if current is not None and current.breached:
        return max(1, int(current.reset_at - time.time()))
    return 60


def _with_retry_after(err, rendered):
    """A 429 tells the client, in seconds, when to come back."""
    response = make_response(rendered)
    if response.status_code == 429:
        response.headers["Retry-After"] = str(_retry_after(err))
    return response


def init_errors(app) -> None:
    @app.errorhandler(AppError)
    def _app_error(err: AppError):
        return _with_retry_after(err, _render(err.status, err.code, err.message, err.fields, err.details))

    @app.errorhandler(CSRFError)
    def _csrf(err):
        return _render(400, "csrf_failed", _l("Your session expired. Reload the page and try again."))

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException):
        code = (err.name or "error").lower().replace(" ", "_")
        return _with_retry_after(err, _render(err.code or 500, code))

    init_database_errors(app)

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        app.logger.exception("unhandled error")
        from webapp.extensions import db

        db.session.rollback()
        return _render(500, "internal_error")


# The database cannot be reached (server down or restarting, connections refused, file unreachable, pool
# exhausted): a 503 with a retry hint, not a 500. The pool reconnects by itself once the database is back.
DATABASE_RETRY_AFTER_S = 5
# SQLite raises OperationalError for bugs too ("no such table", syntax errors): only these mean "unreachable".
_SQLITE_UNAVAILABLE = ("unable to open database file", "database is locked", "disk i/o error")


def database_unavailable(err: Exception) -> bool:
    """True when a database error means the database cannot be reached right now."""
    from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, TimeoutError as PoolTimeout

    if isinstance(err, PoolTimeout):
        return True
    if not isinstance(err, DBAPIError):
        return False
    if err.connection_invalidated or isinstance(err, InterfaceError):
        return True
    if isinstance(err, OperationalError):
        if type(err.orig).__module__.split(".")[0] in ("sqlite3", "pysqlite3"):
            return any(text in str(err.orig).lower() for text in _SQLITE_UNAVAILABLE)
        return True  # psycopg: connection refused or lost, server shutting down, deadlock, cancelled query
    return False


def init_database_errors(app) -> None:
    """Answer 503 with Retry-After when the database is unreachable; other database errors stay 500s."""
    from sqlalchemy.exc import DBAPIError, TimeoutError as PoolTimeout

    from webapp.extensions import db, login_manager

    @app.errorhandler(DBAPIError)
    @app.errorhandler(PoolTimeout)
    def _database(err):
        _rollback(app, db)
        if not database_unavailable(err):
            app.logger.error("unhandled database error", exc_info=err)
            return _render(500, "internal_error")
        app.logger.warning("database unavailable: %s", err)
        # Draw the page as for a visitor: the signed-in user (and their roles) cannot be loaded right now.
        login_manager._update_request_context_with_user()
        response = make_response(_render(503, "database_unavailable"))
        response.headers["Retry-After"] = str(DATABASE_RETRY_AFTER_S)
        return response


def _rollback(app, db) -> None:
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001  (the connection is gone: the pool discards it, nothing left to undo)
        app.logger.warning("rollback after a database error failed", exc_info=True)
