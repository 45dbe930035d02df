"""Column helpers shared by the models."""
from datetime import datetime, timezone

from geoalchemy2 import Geometry
from sqlalchemy import DateTime, Text
from sqlalchemy.orm import Mapped, mapped_column


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC: what rows are stamped with (webapp.core.time passes it on)."""
    return datetime.now(timezone.utc)


def in_language(korean: str, english: str | None, locale: str) -> str:
    """The English text on English pages when there is one, else the Korean (every name and title falls back so)."""
    return english if locale == "en" and english else korean


def timestamp():
    """A non-null UTC timestamp column defaulting to now."""
    return mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)


def geometry(kind: str, nullable: bool = False, deferred: bool = False):
    """A WGS84 geometry column with a spatial index on both databases (`deferred`: loaded on first access)."""
    return mapped_column(Geometry(kind, srid=4326, spatial_index=True), nullable=nullable, deferred=deferred)


class Moderated:
    """Columns of an item residents wrote that staff may hide (reversibly, with a public reason)."""

    hidden_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    hidden_reason: Mapped[str | None] = mapped_column(Text, nullable=True)

    @property
    def hidden(self) -> bool:
        """True while moderation hides the item."""
        return self.hidden_at is not None
