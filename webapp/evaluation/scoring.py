"""Scoring arithmetic of plan evaluation: evaluator totals, stage aggregates, gates, final scores and the ranking.

Plain Python on plain values, so the ranking page, the API, exports and tests share one arithmetic. `rank` is
given, per stage, per plan id and per evaluator id, the points of each submitted sheet (only those), and the plans'
submission times; it ranks every plan that has a submission time or a sheet. The rules:

Points and totals. An evaluator gives each criterion of a stage 0..max_score points (both ends included; an int
or a finite Decimal, never a float). The criterion contributes points / max_score * weight to that evaluator's
stage total, so with weights equal to the maxima the total is the plain sum of the points, and with weights adding
up to 100 it is out of 100. A submitted sheet scores every criterion of its stage and nothing else.

Aggregate of a stage. "mean": the mean of the plan's evaluator totals in the stage. "trimmed": with at least 5
totals exactly one highest and one lowest total are dropped (one copy only when several are equal) and the rest
are averaged; with fewer than 5 totals, the plain mean. Among equal highest totals the evaluator with the lowest
id is dropped; then, among the other evaluators, the one with the lowest total, the lowest id among equals (so
when all totals are equal the two lowest ids are dropped). A plan without a sheet in a stage has no aggregate.
A criterion's mean in a stage is the mean of its contributions over the evaluators whose totals were kept, so the
criterion means of a stage add up to its aggregate.

Stages and gates. Stages run in order. A plan goes on to the next stage when it has an aggregate and passes the
stage's gate: with `top`, it is among the first `top` plans of the stage order (plans with an aggregate in the
stage by higher aggregate, then the tie-break keys over the stages so far, then lower plan id: exactly `top`
plans pass); with `minimum`, its aggregate is at least the minimum; with both, both must hold. A stage without a
gate passes every plan with an aggregate. Every plan ranked reaches the first stage; a plan that does not go on
reaches no later stage and has no result there (sheets given for it are ignored). Gates stop plans in both
combinations; the last stage's gate decides eligibility only.

Final score. "gates": the aggregate of the call's last stage. "weighted": sum(stage weight * stage aggregate) /
sum(stage weights), over all stages of the call. A plan that stopped before the last stage has no final score.

Eligibility. A plan is eligible when it reached the last stage, passed every gate, has a final score and that
score is at least `min_total` (when set). A plan that is not eligible is still ranked.

Order. More stages reached first; then the higher score (the final score, or for a plan without one the aggregate
of the last stage it reached; none last); then each tie-break key in turn; then the lower plan id. A criterion key
prefers the higher criterion mean, taken from the last stage the plan reached that has a mean for it; the key
"submitted_at" prefers the earlier submission; a plan without the value comes after one with it. Ranks run 1..n
in this order, distinct even for plans equal on everything. Each plan records in `ahead_by` what placed it ahead
of the next plan: None when stages reached or score decided (or it is last), the tie-break key that decided, or
"id" when only the plan id did.

Exactness. All arithmetic is exact (rational numbers); gates, the minimum total, the order and ties compare exact
values. The Decimals of a result are exact when the value's decimal expansion ends, otherwise correct to 28
significant digits (half even). The ranking never uses rounded values: only `shown` rounds, for display.
"""
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from typing import Mapping, Sequence

from webapp.evaluation.rubric import (
    BY_ID,
    SUBMITTED_AT,
    TRIM_FROM,
    Aggregation,
    CallRule,
    CriterionRule,
    InvalidPoints,
    Points,
    StageRule,
    must,
    point_problems,
)

_CONTEXT = Context(prec=28)
_CENT = Decimal("0.01")
Scores = Mapping[str, Mapping[int, Mapping[int, Points]]]  # stage code -> plan id -> evaluator id -> sheet

@dataclass(frozen=True)
class StageResult:
    """One plan in one stage: totals by evaluator id, dropped ids (highest, lowest), aggregate, criterion means."""

    code: str
    totals: Mapping[int, Decimal]
    dropped: tuple[int, ...]
    aggregate: Decimal | None
    criterion_means: Mapping[str, Decimal]
    passed: bool


@dataclass(frozen=True)
class PlanResult:
    """One plan's place: rank, results of the stages it reached, final score, eligibility, what placed it ahead."""

    plan_id: int
    rank: int
    stages: tuple[StageResult, ...]
    final: Decimal | None
    eligible: bool
    ahead_by: str | None

    def stage(self, code: str) -> StageResult | None:
        """The result of stage `code`, or None when the plan did not reach it."""
        return next((s for s in self.stages if s.code == code), None)


@dataclass(frozen=True)
class Ranking:
    """Plans in rank order."""

    plans: tuple[PlanResult, ...]

    def plan(self, plan_id: int) -> PlanResult:
        """The result of one plan (KeyError when it was not ranked)."""
        for result in self.plans:
            if result.plan_id == plan_id:
                return result
        raise KeyError(plan_id)


def shown(value: Decimal) -> Decimal:
    """A score for display: 2 decimals, half up (the ranking itself uses the unrounded values)."""
    return value.quantize(_CENT, rounding=ROUND_HALF_UP, context=_CONTEXT)


def evaluator_total(criteria: Sequence[CriterionRule], points: Points) -> Decimal:
    """One evaluator's stage total: sum of points / max_score * weight (InvalidPoints when a point is wrong)."""
    problems = point_problems(criteria, points)
    if problems:
        raise InvalidPoints(problems)
    return _decimal(_contributions(criteria, points)[0])


def aggregate(totals: Mapping[int, Decimal], method: Aggregation) -> tuple[Decimal | None, tuple[int, ...]]:
    """A stage aggregate of totals by evaluator id and the ids dropped (highest, lowest); (None, ()) when empty."""
    exact = {evaluator: Fraction(total) for evaluator, total in totals.items()}
    kept, dropped = _kept(exact, method)
    return (_decimal(_mean([exact[e] for e in kept])) if kept else None), dropped


def rank(rule: CallRule, scores: Scores, submitted_at: Mapping[int, datetime] | None = None) -> Ranking:
    """Rank every plan that has a submission time or a sheet (times compare as given: pass them all aware)."""
    submitted_at = submitted_at or {}
    reached = _run_stages(rule, scores, submitted_at)
    finals = {plan_id: _final(rule, stages) for plan_id, stages in reached.items()}

    def sort_key(plan_id: int) -> tuple:
        stages, final = reached[plan_id], finals[plan_id]
        score = final if final is not None else stages[-1].aggregate
        return (-len(stages), (0, -score) if score is not None else (1,),
                *_tie_values(rule, stages, submitted_at.get(plan_id)), plan_id)

    ordered = sorted(reached, key=sort_key)
    names = (None, None, *rule.tie_break, BY_ID)
    results = []
    for index, plan_id in enumerate(ordered):
        ahead_by = None
        if index + 1 < len(ordered):
            mine, theirs = sort_key(plan_id), sort_key(ordered[index + 1])
            ahead_by = names[next(i for i, (a, b) in enumerate(zip(mine, theirs)) if a != b)]
        final, stages = finals[plan_id], reached[plan_id]
        eligible = (len(stages) == len(rule.stages) and all(s.passed for s in stages) and final is not None
                    and (rule.min_total is None or final >= Fraction(rule.min_total)))
        results.append(PlanResult(plan_id=plan_id, rank=index + 1, stages=tuple(s.result() for s in stages),
                                  final=None if final is None else _decimal(final), eligible=eligible,
                                  ahead_by=ahead_by))
    return Ranking(plans=tuple(results))


def _run_stages(rule: CallRule, scores: Scores, submitted_at: Mapping[int, datetime]) -> dict[int, list["_Stage"]]:
    """Each plan's results, stage by stage, as far as the gates let it go."""
    stage_codes = {s.code for s in rule.stages}
    must(set(scores) <= stage_codes, f"scores for unknown stages {sorted(set(scores) - stage_codes)}")
    plan_ids = set(submitted_at).union(*(set(plans) for plans in scores.values()))
    reached: dict[int, list[_Stage]] = {plan_id: [] for plan_id in sorted(plan_ids)}
    going_on = list(reached)
    for stage in rule.stages:
        sheets = scores.get(stage.code, {})
        for plan_id in going_on:
            reached[plan_id].append(_score(stage, plan_id, sheets.get(plan_id, {}), rule.aggregation))

        def stage_key(plan_id: int) -> tuple:
            return (-reached[plan_id][-1].aggregate, *_tie_values(rule, reached[plan_id], submitted_at.get(plan_id)),
                    plan_id)

        order = sorted((p for p in going_on if reached[p][-1].aggregate is not None), key=stage_key)
        top = stage.gate.top if stage.gate else None
        minimum = stage.gate.minimum if stage.gate else None
        chosen = set(order if top is None else order[:top])
        for plan_id in order:
            result = reached[plan_id][-1]
            result.passed = plan_id in chosen and (minimum is None or result.aggregate >= Fraction(minimum))
        going_on = [p for p in going_on if reached[p][-1].passed]
    return reached


class _Stage:
    """A plan's exact result in one stage while the ranking is worked out."""

    def __init__(self, code: str, totals: dict[int, Fraction], dropped: tuple[int, ...],
                 aggregate: Fraction | None, means: dict[str, Fraction]):
        self.code, self.totals, self.dropped, self.aggregate, self.means = code, totals, dropped, aggregate, means
        self.passed = False

    def result(self) -> StageResult:
        return StageResult(code=self.code, totals={e: _decimal(t) for e, t in self.totals.items()},
                           dropped=self.dropped, aggregate=None if self.aggregate is None else _decimal(self.aggregate),
                           criterion_means={c: _decimal(m) for c, m in self.means.items()}, passed=self.passed)


def _score(stage: StageRule, plan_id: int, sheets: Mapping[int, Points], method: Aggregation) -> _Stage:
    totals, parts = {}, {}
    for evaluator_id in sorted(sheets):
        problems = point_problems(stage.criteria, sheets[evaluator_id])
        if problems:
            raise InvalidPoints(problems, stage=stage.code, plan_id=plan_id, evaluator_id=evaluator_id)
        totals[evaluator_id], parts[evaluator_id] = _contributions(stage.criteria, sheets[evaluator_id])
    kept, dropped = _kept(totals, method)
    if not kept:
        return _Stage(stage.code, totals, dropped, None, {})
    means = {c.code: _mean([parts[e][c.code] for e in kept]) for c in stage.criteria}
    return _Stage(stage.code, totals, dropped, _mean([totals[e] for e in kept]), means)


def _contributions(criteria: Sequence[CriterionRule], points: Points) -> tuple[Fraction, dict[str, Fraction]]:
    parts = {c.code: Fraction(points[c.code]) * Fraction(c.weight) / Fraction(c.max_score) for c in criteria}
    return sum(parts.values(), Fraction(0)), parts


def _kept(totals: Mapping[int, Fraction], method: Aggregation) -> tuple[list[int], tuple[int, ...]]:
    ids = sorted(totals)
    if method != "trimmed" or len(ids) < TRIM_FROM:
        return ids, ()
    highest = max(ids, key=lambda e: (totals[e], -e))
    rest = [e for e in ids if e != highest]
    lowest = min(rest, key=lambda e: (totals[e], e))
    return [e for e in rest if e != lowest], (highest, lowest)


def _mean(values: list[Fraction]) -> Fraction:
    return sum(values, Fraction(0)) / len(values)


def _final(rule: CallRule, stages: list[_Stage]) -> Fraction | None:
    if len(stages) < len(rule.stages) or any(s.aggregate is None for s in stages):
        return None
    if rule.combination == "gates":
        return stages[-1].aggregate
    weights = [Fraction(s.weight) for s in rule.stages]
    return sum((w * s.aggregate for w, s in zip(weights, stages)), Fraction(0)) / sum(weights)


def _tie_values(rule: CallRule, stages: list[_Stage], submitted: datetime | None) -> list[tuple]:
    values = []
    for key in rule.tie_break:
        if key == SUBMITTED_AT:
            values.append((0, submitted) if submitted is not None else (1,))
        else:
            mean = next((s.means[key] for s in reversed(stages) if key in s.means), None)
            values.append((0, -mean) if mean is not None else (1,))
    return values


def _decimal(value: Fraction) -> Decimal:
    """Exact when the decimal expansion ends, else 28 significant digits."""
    denominator, twos, fives = value.denominator, 0, 0
    while denominator % 2 == 0:
        denominator, twos = denominator // 2, twos + 1
    while denominator % 5 == 0:
        denominator, fives = denominator // 5, fives + 1
    if denominator != 1:
        return _CONTEXT.divide(Decimal(value.numerator), Decimal(value.denominator))
    places = max(twos, fives)
    scaled = value.numerator * 10**places // value.denominator
    return Decimal((int(scaled < 0), tuple(int(d) for d in str(abs(scaled))), -places))
