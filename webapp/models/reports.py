"""Problems reported by residents, with their photos, votes, comments and status history."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models.base import Moderated, geometry, timestamp, utcnow
from webapp.models.geo import Municipality
from webapp.models.users import User

STATUSES = ("submitted", "under_review", "planned", "in_progress", "resolved", "closed")
OPEN_STATUSES = ("submitted", "under_review", "planned", "in_progress")
CLOSE_REASONS = ("duplicate", "not_feasible", "not_responsible")


class Category(db.Model):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    domain: Mapped[str] = mapped_column(String(40))
    color: Mapped[str] = mapped_column(String(7), default="#3366cc")
    position: Mapped[int] = mapped_column(default=0)

    def display_name(self, locale: str) -> str:
        """The name in the given language."""
        return self.name_en if locale == "en" else self.name


class Report(Moderated, db.Model):
    __tablename__ = "reports"
    # A report form carries a one-time token: sending the same form again finds the report it filed.
    __table_args__ = (Index("uq_reports_author_id_submission_token", "author_id", "submission_token", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="submitted", index=True)
    close_reason: Mapped[str | None] = mapped_column(String(20), nullable=True)
    anonymous: Mapped[bool] = mapped_column(default=False)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"), nullable=True)
    submission_token: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = timestamp()
    updated_at: Mapped[datetime] = timestamp()
    geom = geometry("POINT")

    municipality: Mapped[Municipality] = relationship(lazy="joined")
    category: Mapped[Category] = relationship(lazy="joined")
    author: Mapped[User] = relationship(lazy="joined")
    duplicate_of: Mapped["Report | None"] = relationship(remote_side=[id])
    photos: Mapped[list["ReportPhoto"]] = relationship(
        order_by="ReportPhoto.position", cascade="all, delete-orphan"
    )
    history: Mapped[list["StatusChange"]] = relationship(
        order_by="StatusChange.id", cascade="all, delete-orphan"
    )
    comments: Mapped[list["Comment"]] = relationship(
        order_by="Comment.id", cascade="all, delete-orphan"
    )

    def touch(self) -> None:
        """Mark the report as changed now."""
        self.updated_at = utcnow()


class ReportPhoto(db.Model):
    __tablename__ = "report_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(64), unique=True)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = timestamp()


class Vote(db.Model):
    __tablename__ = "votes"
    __table_args__ = (UniqueConstraint("report_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = timestamp()


class Comment(Moderated, db.Model):
    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = timestamp()

    author: Mapped[User] = relationship(lazy="joined")


class StatusChange(db.Model):
    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    from_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_status: Mapped[str] = mapped_column(String(20))
    close_reason: Mapped[str | None] = mapped_column(String(20), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = timestamp()

    actor: Mapped[User] = relationship(lazy="joined")
