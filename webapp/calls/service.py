"""Calls for plans: their limits, their submission window and whether it is open."""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp.calls import window
from webapp.calls.programmes import DEFAULT_PROGRAMME, PROGRAMMES, Programme
from webapp.core import audit
from webapp.core.db import get_or_404
from webapp.core.time import as_utc, utcnow
from webapp.errors import ValidationFailed
from webapp.extensions import db
from webapp.models import Call
from webapp.permissions import require

# The default programme's limits (a call without a programme is one of these); every call may change them.
DEFAULTS = {"programme": DEFAULT_PROGRAMME, **PROGRAMMES[DEFAULT_PROGRAMME].limits()}
FIELDS = ("title", "title_en", "programme", "year", "opens_at", "closes_at", "cap_total", "max_national_share_bp",
          "max_national_amount", "selections", "build_months")


def get(call_id: int) -> Call:
    """The call with this id, or NotFound."""
    return get_or_404(Call, call_id)


def list_calls() -> list[Call]:
    """Every call, the latest window first."""
    return list(db.session.scalars(select(Call).order_by(Call.opens_at.desc(), Call.id.desc())))


def is_open(call: Call, now: datetime | None = None) -> bool:
    """Whether the call's window is open at `now` (default the present); the rule is webapp.calls.window's."""
    return window.is_open(call, now or utcnow())


def open_calls(now: datetime | None = None) -> list[Call]:
    """Calls whose window is open now."""
    return [c for c in list_calls() if is_open(c, now)]


def build_period(call: Call) -> tuple[date, date]:
    """The call's build period (first and last day); the rule is webapp.calls.window's."""
    return window.build_period(call)


def programme_defaults(code: str | None) -> dict:
    """The programme code and the default limits of a new call of programme `code` (None: the default one).

    An unknown programme is a ValidationFailed on the field `programme`.
    """
    programme = _programme(code or DEFAULT_PROGRAMME)
    return {"programme": programme.code, **programme.limits()}


def _programme(code) -> Programme:
    if code not in PROGRAMMES:
        raise ValidationFailed(fields={"programme": [_l("Choose one of the programmes.")]})
    return PROGRAMMES[code]


def _given(data: dict) -> dict:
    """The call fields in `data`; an empty English title is none (pages then show the Korean one)."""
    given = {k: v for k, v in data.items() if k in FIELDS}
    if "title_en" in given:
        given["title_en"] = given["title_en"] or None
    return given


def _apply(call: Call, data: dict) -> None:
    for name, value in _given(data).items():
        setattr(call, name, value)


def create(user, data: dict) -> Call:
    """Open a new call (admins); every limit not given takes its programme's default."""
    require(user, "call.manage")
    defaults = programme_defaults(data.get("programme"))
    call = Call(**{**defaults, **{k: v for k, v in _given(data).items() if k != "programme"}})
    db.session.add(call)
    db.session.flush()
    audit.record(user, "call.create", call, title=call.title)
    db.session.commit()
    return call


def update(user, call_id: int, data: dict) -> Call:
    """Change a call's parameters (admins); a new programme changes no limit (only what is sent changes)."""
    require(user, "call.manage")
    if "programme" in data:
        _programme(data["programme"])
    call = get(call_id)
    _apply(call, data)
    if as_utc(call.closes_at) <= as_utc(call.opens_at):
        db.session.rollback()
        raise ValidationFailed(fields={"closes_at": [_l("The window must close after it opens.")]})
    audit.record(user, "call.update", call, fields=sorted(k for k in data if k in FIELDS))
    db.session.commit()
    return call
