"""Residents' proposals: a smart solution (or an idea) for reported problems of one municipality."""
from datetime import datetime

from sqlalchemy import BigInteger, Column, DateTime, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models.base import Moderated, geometry, timestamp, utcnow
from webapp.models.catalog import Solution
from webapp.models.geo import Municipality
from webapp.models.reports import Report
from webapp.models.users import User

PROPOSAL_STATUSES = ("open", "accepted", "not_now", "not_feasible")
ANSWERS = ("accepted", "not_now", "not_feasible")

proposal_reports = Table(
    "proposal_reports",
    db.metadata,
    Column("proposal_id", ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True),
    Column("report_id", ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Proposal(Moderated, db.Model):
    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # A catalogue solution, or (when null) the free-text idea in `idea`.
    solution_id: Mapped[int | None] = mapped_column(ForeignKey("solutions.id"), nullable=True, index=True)
    idea: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(Text)
    cost_estimate: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    anonymous: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    answer_note: Mapped[str] = mapped_column(Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = timestamp()
    updated_at: Mapped[datetime] = timestamp()
    # Where the proposer would put it; optional.
    sites = geometry("MULTIPOINT", nullable=True)

    municipality: Mapped[Municipality] = relationship(lazy="joined")
    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="joined")
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])
    solution: Mapped[Solution | None] = relationship(lazy="joined")
    reports: Mapped[list[Report]] = relationship(secondary=proposal_reports, order_by=Report.id)
    comments: Mapped[list["ProposalComment"]] = relationship(
        order_by="ProposalComment.id", cascade="all, delete-orphan"
    )

    def display_title(self, locale: str) -> str:
        """What is proposed: the catalogue solution's name in the given language, or the idea."""
        return self.solution.display_name(locale) if self.solution else self.idea

    def touch(self) -> None:
        """Mark the proposal as changed now."""
        self.updated_at = utcnow()


class ProposalVote(db.Model):
    __tablename__ = "proposal_votes"
    __table_args__ = (UniqueConstraint("proposal_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = timestamp()


class ProposalComment(Moderated, db.Model):
    __tablename__ = "proposal_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = timestamp()

    author: Mapped[User] = relationship(lazy="joined")
