"""A call's evaluation rubric: its stages (document review, presentation), their criteria, and how scores combine."""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models.base import in_language, timestamp
from webapp.models.plans import Call

# How the evaluators' totals of one plan in one stage become the stage's score.
AGGREGATIONS = ("mean", "trimmed")
# How the stages give the final score: pass gates (the last stage decides), or a weighted sum of the stages.
COMBINATIONS = ("gates", "weighted")
# Scores, weights and thresholds: two decimals, exact (Decimal), never floats.
SCORE = Numeric(9, 2)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class EvaluationSettings(db.Model):
    """How a call's scores aggregate and combine, its tie-break and its objection period (one row per call).

    A table of its own rather than columns of `calls`: the settings belong to the rubric (a rubric is replaced
    as a whole, settings included), and a new table takes CHECK constraints on SQLite, which cannot add one to
    an existing table without rebuilding it. A call without a row has the defaults below.
    """

    __tablename__ = "evaluation_settings"
    __table_args__ = (
        CheckConstraint(_one_of("aggregation", AGGREGATIONS), name="aggregation"),
        CheckConstraint(_one_of("combination", COMBINATIONS), name="combination"),
        CheckConstraint("min_total IS NULL OR min_total >= 0", name="min_total"),
        CheckConstraint("objection_days >= 1", name="objection_days"),
    )

    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True)
    aggregation: Mapped[str] = mapped_column(String(20), default="trimmed")
    combination: Mapped[str] = mapped_column(String(20), default="gates")
    # A plan whose final score is below this is ranked but not eligible for selection.
    min_total: Mapped[Decimal | None] = mapped_column(SCORE, nullable=True)
    # Ordered keys: criterion codes (higher score first) and "submitted_at" (earlier submission first).
    tie_break: Mapped[list] = mapped_column(JSON, default=list)
    show_evaluator_names: Mapped[bool] = mapped_column(default=False)
    # Days after the results are published during which a municipality may object.
    objection_days: Mapped[int] = mapped_column(Integer, default=7)
    updated_at: Mapped[datetime] = timestamp()

    call: Mapped[Call] = relationship()


class EvaluationStage(db.Model):
    """One stage of a call's evaluation (서면평가, 발표평가, ...), in order, with its pass gate if any."""

    __tablename__ = "evaluation_stages"
    __table_args__ = (
        UniqueConstraint("call_id", "code"),
        CheckConstraint("weight >= 0", name="weight"),
        CheckConstraint("gate_top IS NULL OR gate_top >= 1", name="gate_top"),
        CheckConstraint("gate_min IS NULL OR gate_min >= 0", name="gate_min"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    guidance: Mapped[str] = mapped_column(Text, default="")
    guidance_en: Mapped[str] = mapped_column(Text, default="")
    # The stage's weight in a weighted-sum combination (unused by pass gates).
    weight: Mapped[Decimal] = mapped_column(SCORE, default=Decimal(1))
    # The pass gate to the next stage: the top N plans, and/or a minimum stage score (both must hold).
    gate_top: Mapped[int | None] = mapped_column(Integer, nullable=True)
    gate_min: Mapped[Decimal | None] = mapped_column(SCORE, nullable=True)

    criteria: Mapped[list["EvaluationCriterion"]] = relationship(
        order_by="EvaluationCriterion.position", cascade="all, delete-orphan", back_populates="stage"
    )

    def display_name(self, locale: str) -> str:
        """The name in the given language, falling back to Korean."""
        return in_language(self.name, self.name_en, locale)

    def display_guidance(self, locale: str) -> str:
        """The guidance in the given language, falling back to Korean."""
        return in_language(self.guidance, self.guidance_en, locale)


class EvaluationCriterion(db.Model):
    """A criterion of a stage: an evaluator gives 0 to max_score points; it weighs `weight` in the stage total."""

    __tablename__ = "evaluation_criteria"
    __table_args__ = (
        UniqueConstraint("stage_id", "code"),
        CheckConstraint("max_score > 0", name="max_score"),
        CheckConstraint("weight > 0", name="weight"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("evaluation_stages.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    guidance: Mapped[str] = mapped_column(Text, default="")
    guidance_en: Mapped[str] = mapped_column(Text, default="")
    max_score: Mapped[Decimal] = mapped_column(SCORE)
    weight: Mapped[Decimal] = mapped_column(SCORE)

    stage: Mapped[EvaluationStage] = relationship(back_populates="criteria")

    def display_name(self, locale: str) -> str:
        """The name in the given language, falling back to Korean."""
        return in_language(self.name, self.name_en, locale)

    def display_guidance(self, locale: str) -> str:
        """The guidance in the given language, falling back to Korean."""
        return in_language(self.guidance, self.guidance_en, locale)
