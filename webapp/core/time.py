"""Time: everything is stored in UTC; the programme's calendar and windows are read in Seoul time."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from webapp.models.base import utcnow  # noqa: F401  (the clock rows are stamped with; use it from here)

SEOUL = ZoneInfo("Asia/Seoul")


def as_utc(moment: datetime) -> datetime:
    """A timezone-aware UTC time (SQLite hands stored UTC times back without their zone)."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def utc_iso(moment: datetime) -> str:
    """An ISO 8601 time with its UTC offset."""
    return as_utc(moment).isoformat()


def seoul(moment: datetime) -> datetime:
    """A stored UTC time as Seoul local time."""
    return as_utc(moment).astimezone(SEOUL)
