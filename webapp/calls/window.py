"""A call's dates as plain arithmetic: whether its submission window is open, and its build period."""
import calendar
from datetime import date, datetime

from webapp.core.time import SEOUL, as_utc


def is_open(call, now: datetime) -> bool:
    """True inside the window [opens_at, closes_at), compared in UTC."""
    now = as_utc(now)
    return as_utc(call.opens_at) <= now < as_utc(call.closes_at)


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    # 31 January plus one month is the last day of February.
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def build_period(call) -> tuple[date, date]:
    """The build period: from the Seoul day the window closes to that day plus build_months (inclusive)."""
    start = as_utc(call.closes_at).astimezone(SEOUL).date()
    return start, _add_months(start, call.build_months)
