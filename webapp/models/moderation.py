"""Residents' flags on what other residents wrote (abuse, personal data), for staff to review."""
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models.base import timestamp
from webapp.models.users import User

FLAG_REASONS = ("abusive", "personal_data")
# What can be flagged and hidden: the kind names used in URLs and in the flags table.
FLAGGABLE = ("report", "comment", "proposal", "proposal_comment", "plan_comment")
# Longest resident note on a flag and longest public reason for hiding.
NOTE_MAX = 500
REASON_MAX = 500


class Flag(db.Model):
    __tablename__ = "flags"
    __table_args__ = (UniqueConstraint("user_id", "target_kind", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    target_kind: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int] = mapped_column(index=True)
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = timestamp()
    # Set when staff decided on the item (hid it or kept it); open flags make the review queue.
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    user: Mapped[User] = relationship(lazy="joined")
