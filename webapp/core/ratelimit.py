"""Rate limits: one write budget per user (or address), sign-in back-off, registrations per address.

Every counter lives in the limiter's storage (Redis in production), so the limits hold across
worker processes.
"""
import hashlib
import time

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from webapp.errors import AppError
from webapp.extensions import limiter

WRITE_METHODS = ["POST", "PUT", "PATCH", "DELETE"]


class TooManyRequests(AppError):
    """Refused for now; `retry_after` says in how many seconds to try again."""

    status, code = 429, "too_many_requests"

    def __init__(self, retry_after: int, message=None):
        super().__init__(message or _l("Too many requests. Please wait a moment and try again."))
        self.retry_after = max(1, int(retry_after))


def _who() -> str:
    if current_user and current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"addr:{request.remote_addr}"


def _address() -> str:
    return f"addr:{request.remote_addr}"


def _write_limit() -> str:
    return current_app.config["WRITE_RATE_LIMIT"]


def _register_limit() -> str:
    return current_app.config["REGISTER_RATE_LIMIT"]


# One scope for every write endpoint: a vote, a withdrawal and a comment draw on the same budget.
write_limit = limiter.shared_limit(_write_limit, scope="write", key_func=_who, methods=WRITE_METHODS)

# Counted only when a registration went through (the neutral redirect), not for a form with errors.
register_limit = limiter.limit(_register_limit, key_func=_address, methods=["POST"],
                               deduct_when=lambda response: response.status_code == 302)


# Sign-in back-off. Every attempt counts as a failure until it succeeds. From the configured number
# of failures on, an attempt must also claim the lock: the first claim after it ran out goes ahead
# and starts the next, doubled, wait; every other claim is refused (and not counted) until then.
# Counting and claiming are single atomic increments, so parallel attempts cannot slip through.
def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED")) and limiter.enabled


def _key(*parts: str) -> str:
    return "/".join([current_app.config.get("RATELIMIT_KEY_PREFIX") or "", "login", *parts])


def _subjects(email: str) -> list[tuple[str, int]]:
    """(counter name, allowed failures) for the account tried and the client's address."""
    config = current_app.config
    # The e-mail address is kept only as a digest: the limiter's storage need not hold who tried what.
    account = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return [(f"account:{account}", config["LOGIN_MAX_FAILURES"]),
            (f"address:{request.remote_addr}", config["LOGIN_MAX_FAILURES_PER_ADDRESS"])]


def _delay(failures: int, allowed: int) -> int:
    config = current_app.config
    doublings = min(max(failures - allowed, 0), 32)
    return int(min(config["LOGIN_DELAY_SECONDS"] * 2 ** doublings, config["LOGIN_MAX_DELAY_SECONDS"]))


def begin_login(email: str) -> None:
    """Count a sign-in attempt, or refuse it (429) while the account or the address must wait."""
    if not _enabled():
        return
    storage = limiter.storage
    window = int(current_app.config["LOGIN_FAILURE_WINDOW"])
    taken = []  # (counter name, whether this attempt took the lock) to undo when refused
    for name, allowed in _subjects(email):
        failures = storage.incr(_key(name, "failures"), window)
        claims = storage.incr(_key(name, "lock"), _delay(failures, allowed)) if failures >= allowed else 0
        taken.append((name, claims == 1))
        if claims > 1:
            # Rounded: Redis keeps whole seconds of time to live, the in-memory storage exact times.
            wait = round(storage.get_expiry(_key(name, "lock")) - time.time())
            for done, took_lock in taken:
                storage.incr(_key(done, "failures"), window, amount=-1)
                if took_lock:
                    storage.clear(_key(done, "lock"))
            raise TooManyRequests(wait, _l("Too many failed sign-ins. Please wait and try again."))


def _lock(name: str, failures: int, allowed: int) -> None:
    if failures >= allowed:
        lock = _key(name, "lock")
        limiter.storage.clear(lock)
        limiter.storage.incr(lock, _delay(failures, allowed))


def login_failed(email: str) -> None:
    """A wrong password: the wait (if any) runs from now, not from when the check began."""
    if not _enabled():
        return
    for name, allowed in _subjects(email):
        _lock(name, limiter.storage.get(_key(name, "failures")), allowed)


def login_succeeded(email: str) -> None:
    """A good password: the account starts afresh; the address only gets this attempt back."""
    if not _enabled():
        return
    storage = limiter.storage
    (account, _), (address, allowed) = _subjects(email)
    storage.clear(_key(account, "failures"))
    storage.clear(_key(account, "lock"))
    window = int(current_app.config["LOGIN_FAILURE_WINDOW"])
    left = storage.incr(_key(address, "failures"), window, amount=-1)
    if left <= 0:  # the count had run out meanwhile: do not leave a negative one behind
        storage.clear(_key(address, "failures"))
    if left < allowed:
        storage.clear(_key(address, "lock"))
