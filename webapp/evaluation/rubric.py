"""A call's rubric as plain values: criteria, stages with their gates, the call's aggregation rules; checking points.

These are what `webapp.evaluation.scoring` computes with (its docstring states every rule); the service builds
them from the stored rubric. Building a rule checks it (ValueError for a wrongly built one).
"""
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, Mapping, Sequence

Aggregation = Literal["mean", "trimmed"]
Combination = Literal["gates", "weighted"]
Points = Mapping[str, Decimal]  # criterion code -> points of one sheet

TRIM_FROM = 5  # the trimmed mean drops two totals from this many on
SUBMITTED_AT = "submitted_at"  # tie-break key: earlier submission first
BY_ID = "id"  # what `ahead_by` says when only the plan id separated two plans
# Why `point_problems` rejects a criterion's points.
UNKNOWN, MISSING, NOT_A_NUMBER, NEGATIVE, ABOVE_MAX = "unknown", "missing", "not_a_number", "negative", "above_max"



def _number(value) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or isinstance(value, Decimal) and value.is_finite()


def must(condition: bool, message: str) -> None:
    """Refuse a wrongly built rule (ValueError with `message`)."""
    if not condition:
        raise ValueError(message)


@dataclass(frozen=True)
class CriterionRule:
    """A criterion of a stage: 0..max_score points, contributing points / max_score * weight to the total."""

    code: str
    max_score: Decimal
    weight: Decimal

    def __post_init__(self):
        must(self.code not in (SUBMITTED_AT, BY_ID), f"criterion code {self.code!r} is reserved")
        must(_number(self.max_score) and self.max_score > 0, f"{self.code}: max_score must be above 0")
        must(_number(self.weight) and self.weight >= 0, f"{self.code}: weight must be 0 or more")


@dataclass(frozen=True)
class Gate:
    """Who goes on after a stage: the first `top` plans, those with at least `minimum`, or both conditions."""

    top: int | None = None
    minimum: Decimal | None = None

    def __post_init__(self):
        must(self.top is not None or self.minimum is not None, "a gate needs top or minimum")
        must(self.top is None or isinstance(self.top, int) and not isinstance(self.top, bool) and self.top >= 1,
                 "gate top must be a whole number of at least 1")
        must(self.minimum is None or _number(self.minimum), "gate minimum must be a number")


@dataclass(frozen=True)
class StageRule:
    """A stage (e.g. document review, presentation): its criteria, its weight in a weighted sum, its gate."""

    code: str
    criteria: tuple[CriterionRule, ...]
    weight: Decimal = Decimal(1)
    gate: Gate | None = None

    def __post_init__(self):
        object.__setattr__(self, "criteria", tuple(self.criteria))
        codes = [c.code for c in self.criteria]
        must(bool(codes), f"stage {self.code} has no criteria")
        must(len(set(codes)) == len(codes), f"stage {self.code} repeats a criterion")
        must(_number(self.weight) and self.weight >= 0, f"stage {self.code}: weight must be 0 or more")


@dataclass(frozen=True)
class CallRule:
    """How a call turns sheets into a ranking: stages in order, aggregation, minimum total, tie-break, combination."""

    stages: tuple[StageRule, ...]
    aggregation: Aggregation = "mean"
    min_total: Decimal | None = None
    tie_break: tuple[str, ...] = ()
    combination: Combination = "gates"

    def __post_init__(self):
        object.__setattr__(self, "stages", tuple(self.stages))
        object.__setattr__(self, "tie_break", tuple(self.tie_break))
        codes = [s.code for s in self.stages]
        must(bool(codes), "a call needs at least one stage")
        must(len(set(codes)) == len(codes), "stage codes repeat")
        must(self.aggregation in ("mean", "trimmed"), f"unknown aggregation {self.aggregation!r}")
        must(self.combination in ("gates", "weighted"), f"unknown combination {self.combination!r}")
        must(self.min_total is None or _number(self.min_total), "min_total must be a number")
        criteria = {c.code for s in self.stages for c in s.criteria}
        for key in self.tie_break:
            must(key == SUBMITTED_AT or key in criteria, f"tie-break key {key!r} is no criterion")
        must(len(set(self.tie_break)) == len(self.tie_break), "tie-break keys repeat")
        if self.combination == "weighted":
            must(sum(s.weight for s in self.stages) > 0, "a weighted sum needs a stage weight above 0")


class InvalidPoints(ValueError):
    """A sheet's points break its stage's criteria; `problems` maps criterion code -> reason."""

    def __init__(self, problems: Mapping[str, str], stage: str | None = None, plan_id: int | None = None,
                 evaluator_id: int | None = None):
        super().__init__(f"invalid points in stage {stage}, plan {plan_id}, evaluator {evaluator_id}: {problems}")
        self.problems, self.stage, self.plan_id, self.evaluator_id = dict(problems), stage, plan_id, evaluator_id


def point_problems(criteria: Sequence[CriterionRule], points: Points, *, complete: bool = True) -> dict[str, str]:
    """What is wrong with a sheet, criterion code -> reason; empty when valid. A draft passes complete=False."""
    rules = {c.code: c for c in criteria}
    problems = {code: UNKNOWN for code in points if code not in rules}
    for code, rule in rules.items():
        value = points.get(code)
        if value is None:
            if complete:
                problems[code] = MISSING
        elif not _number(value):
            problems[code] = NOT_A_NUMBER
        elif value < 0:
            problems[code] = NEGATIVE
        elif value > rule.max_score:
            problems[code] = ABOVE_MAX
    return problems
