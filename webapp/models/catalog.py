"""The smart-solution catalogue and the KPI library that plans draw on."""
from datetime import datetime

from sqlalchemy import BigInteger, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models.base import timestamp, utcnow

# Domains of smart solutions, as the programme groups them.
DOMAINS = (
    "transport", "transport_safety", "safety", "disaster", "environment", "energy",
    "water", "waste", "welfare", "infrastructure", "economy", "governance",
)
# Themes of indicators.
THEMES = ("transport", "safety", "disaster", "environment", "energy", "water", "waste", "welfare", "governance")
DIRECTIONS = ("higher", "lower")
# Standards an indicator comes from; a KPI may cite several.
STANDARDS = ("ISO 37120", "ISO 37122", "U4SSC", "local")

solution_kpis = Table(
    "solution_kpis",
    db.metadata,
    Column("solution_id", ForeignKey("solutions.id", ondelete="CASCADE"), primary_key=True),
    Column("kpi_id", ForeignKey("kpis.id", ondelete="CASCADE"), primary_key=True),
)


class Kpi(db.Model):
    """A performance indicator; retired ones stay for the plans that use them."""

    __tablename__ = "kpis"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(150))
    name_en: Mapped[str] = mapped_column(String(150))
    unit: Mapped[str] = mapped_column(String(60))
    unit_en: Mapped[str] = mapped_column(String(60))
    direction: Mapped[str] = mapped_column(String(10))
    theme: Mapped[str] = mapped_column(String(20))
    # Semicolon-separated codes from STANDARDS, e.g. "U4SSC;ISO 37120".
    standards: Mapped[str] = mapped_column(String(80))
    retired: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = timestamp()
    updated_at: Mapped[datetime] = timestamp()

    def display_name(self, locale: str) -> str:
        """The name in the given language."""
        return self.name_en if locale == "en" else self.name

    def display_unit(self, locale: str) -> str:
        """The unit in the given language."""
        return self.unit_en if locale == "en" else self.unit

    def standard_list(self) -> list[str]:
        """The standards as a list."""
        return [s for s in self.standards.split(";") if s]

    def touch(self) -> None:
        """Mark the entry as changed now."""
        self.updated_at = utcnow()


class Solution(db.Model):
    """A smart solution a plan may deploy, with what it costs and what it moved elsewhere."""

    __tablename__ = "solutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(150))
    name_en: Mapped[str] = mapped_column(String(150))
    domain: Mapped[str] = mapped_column(String(20), index=True)
    description: Mapped[str] = mapped_column(Text)
    description_en: Mapped[str] = mapped_column(Text)
    # Typical cost of one deployment in KRW (integers; unknown when null).
    cost_min: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    cost_max: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    results: Mapped[str] = mapped_column(Text, default="")
    results_en: Mapped[str] = mapped_column(Text, default="")
    retired: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = timestamp()
    updated_at: Mapped[datetime] = timestamp()

    kpis: Mapped[list[Kpi]] = relationship(secondary=solution_kpis, order_by=Kpi.code)

    def display_name(self, locale: str) -> str:
        """The name in the given language."""
        return self.name_en if locale == "en" else self.name

    def display_description(self, locale: str) -> str:
        """The description in the given language."""
        return self.description_en if locale == "en" else self.description

    def display_results(self, locale: str) -> str:
        """Reported results elsewhere, in the given language."""
        return self.results_en if locale == "en" else self.results

    def touch(self) -> None:
        """Mark the entry as changed now."""
        self.updated_at = utcnow()
