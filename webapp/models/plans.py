"""Calls for plans, municipal plans (items, sites, budget lines, KPI targets, milestones), versions and comments."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models.base import Moderated, geometry, in_language, timestamp, utcnow
from webapp.models.catalog import Kpi, Solution
from webapp.models.geo import Municipality
from webapp.models.proposals import Proposal
from webapp.models.reports import Report
from webapp.models.users import User

PLAN_STATUSES = ("draft", "submitted")
FUNDING_SOURCES = ("national", "local", "private")
# Shares are kept in basis points (1/100 of a percent) so that no share goes through a float.
BASIS_POINTS = 10_000

plan_item_reports = Table(
    "plan_item_reports",
    db.metadata,
    Column("item_id", ForeignKey("plan_items.id", ondelete="CASCADE"), primary_key=True),
    Column("report_id", ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True, index=True),
)
plan_item_proposals = Table(
    "plan_item_proposals",
    db.metadata,
    Column("item_id", ForeignKey("plan_items.id", ondelete="CASCADE"), primary_key=True),
    Column("proposal_id", ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Call(db.Model):
    """A call for plans (공모) with the programme's limits; nothing about it is hard-coded."""

    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    # The English title; pages in English fall back to the Korean one while it is empty.
    title_en: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # A programme type of webapp.calls.programmes; it gives a new call its default limits.
    programme: Mapped[str] = mapped_column(String(40), default="small_mid_city")
    year: Mapped[int] = mapped_column(Integer)
    # The submission window, stored in UTC (entered and shown in Asia/Seoul).
    opens_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closes_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    cap_total: Mapped[int] = mapped_column(BigInteger)
    max_national_share_bp: Mapped[int] = mapped_column(Integer)
    max_national_amount: Mapped[int] = mapped_column(BigInteger)
    selections: Mapped[int] = mapped_column(Integer, default=16)
    build_months: Mapped[int] = mapped_column(Integer, default=12)
    created_at: Mapped[datetime] = timestamp()

    def display_title(self, locale: str) -> str:
        """The title in the given language, falling back to Korean."""
        return in_language(self.title, self.title_en, locale)


class Plan(db.Model):
    """A municipality's plan for a call; its working draft lives in these tables, submissions in PlanVersion."""

    __tablename__ = "plans"
    __table_args__ = (UniqueConstraint("municipality_id", "call_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id"), index=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    goals: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = timestamp()
    updated_at: Mapped[datetime] = timestamp()

    municipality: Mapped[Municipality] = relationship(lazy="joined")
    call: Mapped[Call] = relationship(lazy="joined")
    items: Mapped[list["PlanItem"]] = relationship(
        order_by="PlanItem.position, PlanItem.id", cascade="all, delete-orphan", back_populates="plan"
    )
    versions: Mapped[list["PlanVersion"]] = relationship(order_by="PlanVersion.number")

    def touch(self) -> None:
        """Mark the plan as changed now."""
        self.updated_at = utcnow()


class PlanItem(db.Model):
    """One smart solution the plan deploys, traced back to residents' problems and forward to KPIs."""

    __tablename__ = "plan_items"
    # Never reuse the id of a deleted item on SQLite: version comparisons match items by id.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    solution_id: Mapped[int | None] = mapped_column(ForeignKey("solutions.id"), nullable=True, index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    plan: Mapped[Plan] = relationship(back_populates="items")
    solution: Mapped[Solution | None] = relationship(lazy="joined")
    reports: Mapped[list[Report]] = relationship(secondary=plan_item_reports, order_by=Report.id)
    proposals: Mapped[list[Proposal]] = relationship(secondary=plan_item_proposals, order_by=Proposal.id)
    sites: Mapped[list["PlanSite"]] = relationship(order_by="PlanSite.id", cascade="all, delete-orphan")
    budget_lines: Mapped[list["BudgetLine"]] = relationship(
        order_by="BudgetLine.year, BudgetLine.id", cascade="all, delete-orphan"
    )
    kpi_targets: Mapped[list["KpiTarget"]] = relationship(order_by="KpiTarget.id", cascade="all, delete-orphan")
    milestones: Mapped[list["Milestone"]] = relationship(
        order_by="Milestone.due_on, Milestone.id", cascade="all, delete-orphan"
    )


class PlanSite(db.Model):
    """Where an item is built: a point, a line or an area."""

    __tablename__ = "plan_sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("plan_items.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    geom = geometry("GEOMETRY")


class BudgetLine(db.Model):
    """An amount in whole KRW from one funding source in one year."""

    __tablename__ = "budget_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("plan_items.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(20))
    amount: Mapped[int] = mapped_column(BigInteger)
    year: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(200), default="")


class KpiTarget(db.Model):
    """A performance target: where the indicator stands (baseline) and where the item should take it."""

    __tablename__ = "kpi_targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("plan_items.id", ondelete="CASCADE"), index=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpis.id"), index=True)
    baseline_value: Mapped[Decimal | None] = mapped_column(Numeric(20, 4), nullable=True)
    baseline_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    target_value: Mapped[Decimal | None] = mapped_column(Numeric(20, 4), nullable=True)
    target_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    method: Mapped[str] = mapped_column(Text, default="")

    kpi: Mapped[Kpi] = relationship(lazy="joined")


class Milestone(db.Model):
    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("plan_items.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date] = mapped_column(Date)


class PlanVersion(db.Model):
    """A submitted plan, frozen: the snapshot evaluators score. Rows are only ever inserted."""

    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict] = mapped_column(JSON)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = timestamp()

    submitted_by: Mapped[User] = relationship()


COMMENT_MAX = 2000  # characters of a plan comment


class PlanComment(Moderated, db.Model):
    """Consultation on a plan or one of its items; `public` comments are residents' on a submitted plan."""

    __tablename__ = "plan_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("plan_items.id", ondelete="SET NULL"), nullable=True)
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("plan_comments.id"), nullable=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    public: Mapped[bool] = mapped_column(default=False)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = timestamp()

    author: Mapped[User] = relationship(lazy="joined")
