"""Calls for plans: their limits, their submission window and whether it is open."""
import calendar
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp.core import audit
from webapp.core.db import get_or_404
from webapp.core.time import SEOUL, as_utc, utcnow
from webapp.errors import ValidationFailed
from webapp.extensions import db
from webapp.models import Call
from webapp.permissions import require

# The small and mid-sized city programme's usual limits; every call may change them.
DEFAULTS = {
    "programme": "small_mid_city",
    "cap_total": 4_000_000_000,
    "max_national_share_bp": 5_000,
    "max_national_amount": 2_000_000_000,
    "selections": 16,
    "build_months": 12,
}
FIELDS = ("title", "programme", "year", "opens_at", "closes_at", "cap_total", "max_national_share_bp",
          "max_national_amount", "selections", "build_months")


def get(call_id: int) -> Call:
    """The call with this id, or NotFound."""
    return get_or_404(Call, call_id)


def list_calls() -> list[Call]:
    """Every call, the latest window first."""
    return list(db.session.scalars(select(Call).order_by(Call.opens_at.desc(), Call.id.desc())))


def is_open(call: Call, now: datetime | None = None) -> bool:
    """True inside the window [opens_at, closes_at), compared in UTC."""
    now = as_utc(now or utcnow())
    return as_utc(call.opens_at) <= now < as_utc(call.closes_at)


def open_calls(now: datetime | None = None) -> list[Call]:
    """Calls whose window is open now."""
    return [c for c in list_calls() if is_open(c, now)]


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    # 31 January plus one month is the last day of February.
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def build_period(call: Call) -> tuple[date, date]:
    """The build period: from the Seoul day the window closes to that day plus build_months (inclusive)."""
    start = as_utc(call.closes_at).astimezone(SEOUL).date()
    return start, _add_months(start, call.build_months)


def _apply(call: Call, data: dict) -> None:
    for name in FIELDS:
        if name in data:
            setattr(call, name, data[name])


def create(user, data: dict) -> Call:
    """Open a new call (admins); missing limits take the programme defaults."""
    require(user, "call.manage")
    call = Call(**{**DEFAULTS, **{k: v for k, v in data.items() if k in FIELDS}})
    db.session.add(call)
    db.session.flush()
    audit.record(user, "call.create", call, title=call.title)
    db.session.commit()
    return call


def update(user, call_id: int, data: dict) -> Call:
    """Change a call's parameters (admins)."""
    require(user, "call.manage")
    call = get(call_id)
    _apply(call, data)
    if as_utc(call.closes_at) <= as_utc(call.opens_at):
        db.session.rollback()
        raise ValidationFailed(fields={"closes_at": [_l("The window must close after it opens.")]})
    audit.record(user, "call.update", call, fields=sorted(k for k in data if k in FIELDS))
    db.session.commit()
    return call
