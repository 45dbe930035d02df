"""Rubric input (`RubricIn`: the whole rubric of a call, checked row by row) and output (`RubricOut`)."""
import re
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate, validates_schema

from webapp.core.fields import MESSAGES, BaseSchema, Stripped, Text, boolean, integer, text
from webapp.core.output import OutSchema, Part
from webapp.evaluation.rubric import BY_ID, SUBMITTED_AT
from webapp.models import AGGREGATIONS, COMBINATIONS

CODE = re.compile(r"[a-z][a-z0-9_]{0,39}\Z")
# Keys the ranking gives a meaning of its own, so no criterion may be called so.
RESERVED = (SUBMITTED_AT, BY_ID)
SCORE_MAX = Decimal(1000)  # points or weight of one criterion, weight of a stage
THRESHOLD_MAX = Decimal(1_000_000)  # a gate's minimum or the minimum total (a stage may have many criteria)
MAX_STAGES, MAX_CRITERIA, MAX_TIE_BREAK = 10, 30, 20
NAME_MAX, GUIDANCE_MAX = 200, 4000
TWICE = _l("This code is used twice.")


class Score(fields.Field):
    """A decimal number with at most two decimals, as text ("12.5") or an integer; floats are refused.

    `positive`: above 0; else 0 or more. Output is text too ("12.5", "20"): a JSON number would become a float.
    """

    def __init__(self, *, positive: bool = False, most: Decimal = SCORE_MAX, **kw):
        super().__init__(error_messages=MESSAGES, **kw)
        self.positive, self.most = positive, most

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else format(Decimal(value).normalize(), "f")

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, (bool, float)) or not isinstance(value, (int, str)):
            raise ValidationError(_l("Give the number as text, e.g. \"12.5\"."))
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValidationError(_l("Not a valid number.")) from None
        # The bound first: quantizing a huge number fails.
        if not number.is_finite() or abs(number) > self.most:
            raise ValidationError(_l("Must be between {min} and {max}.").format(min=0, max=self.most))
        if number != number.quantize(Decimal("0.01")):
            raise ValidationError(_l("Give at most two decimals."))
        if number < 0 or (self.positive and number == 0):
            raise ValidationError(_l("Must be more than 0.") if self.positive else _l("Must be 0 or more."))
        return number + 0  # "-0" is 0


def _code(*more):
    """A code: lower-case ASCII letters, digits and _ (40 at most), with further validators."""
    return Stripped(required=True, error_messages=MESSAGES, validate=[
        validate.Regexp(CODE, error=_l("Use lower-case letters, digits and _, starting with a letter.")), *more])


def _rows(schema, least: str, most: str, count: int):
    return fields.List(fields.Nested(schema), required=True, error_messages=MESSAGES, validate=[
        validate.Length(min=1, error=least), validate.Length(max=count, error=most)])


class CriterionIn(BaseSchema):
    code = _code(validate.NoneOf(RESERVED, error=_l("This code is reserved for the tie-break.")))
    name = text(NAME_MAX)
    name_en = text(NAME_MAX, required=False, load_default="")
    guidance = text(GUIDANCE_MAX, required=False, load_default="", multiline=True)
    guidance_en = text(GUIDANCE_MAX, required=False, load_default="", multiline=True)
    max_score = Score(positive=True, required=True)
    weight = Score(positive=True, required=True)


class StageIn(BaseSchema):
    code = _code()
    name = text(NAME_MAX)
    name_en = text(NAME_MAX, required=False, load_default="")
    guidance = text(GUIDANCE_MAX, required=False, load_default="", multiline=True)
    guidance_en = text(GUIDANCE_MAX, required=False, load_default="", multiline=True)
    weight = Score(load_default=Decimal(1))
    # The pass gate to the next stage: the top N plans and/or a minimum stage score.
    gate_top = integer(required=False, lo=1, hi=10_000, allow_none=True, load_default=None)
    gate_min = Score(most=THRESHOLD_MAX, allow_none=True, load_default=None)
    criteria = _rows(CriterionIn, _l("Add at least one criterion."), _l("At most {max} criteria."), MAX_CRITERIA)


class RubricIn(BaseSchema):
    """A call's whole rubric: settings and stages in order, each with its criteria in order.

    Errors name the row: {"stages": {0: {"criteria": {1: {"max_score": [...]}}}}} (JSON keys "0", "1").
    """

    aggregation = fields.String(load_default="trimmed", error_messages=MESSAGES, validate=validate.OneOf(
        AGGREGATIONS, error=_l("Choose mean or trimmed.")))
    combination = fields.String(load_default="gates", error_messages=MESSAGES, validate=validate.OneOf(
        COMBINATIONS, error=_l("Choose gates or weighted.")))
    min_total = Score(most=THRESHOLD_MAX, allow_none=True, load_default=None)
    tie_break = fields.List(Text(error_messages=MESSAGES), load_default=list,
                            error_messages=MESSAGES, validate=validate.Length(
                                max=MAX_TIE_BREAK, error=_l("At most {max} keys.")))
    show_evaluator_names = boolean()
    objection_days = integer(required=False, lo=1, hi=365, load_default=7)
    stages = _rows(StageIn, _l("Add at least one stage."), _l("At most {max} stages."), MAX_STAGES)

    @validates_schema
    def _rows_agree(self, data, **kwargs):
        """Codes unique per call and stage, gates only before another stage, weights, tie-break keys."""
        errors: dict = {}
        stages = data["stages"]

        def add(stage: int, name: str, message, criterion: int | None = None):
            row = errors.setdefault("stages", {}).setdefault(stage, {})
            if criterion is not None:
                row = row.setdefault("criteria", {}).setdefault(criterion, {})
            row.setdefault(name, []).append(message)

        seen_stages, criteria = set(), set()
        for i, stage in enumerate(stages):
            if stage["code"] in seen_stages:
                add(i, "code", TWICE)
            seen_stages.add(stage["code"])
            seen = set()
            for j, criterion in enumerate(stage["criteria"]):
                if criterion["code"] in seen:
                    add(i, "code", TWICE, j)
                seen.add(criterion["code"])
            criteria |= seen
            last = i == len(stages) - 1
            for gate in ("gate_top", "gate_min"):
                if last and stage.get(gate) is not None:
                    add(i, gate, _l("Only a stage followed by another stage can have a pass gate."))
            if data["combination"] == "weighted" and stage["weight"] <= 0:
                add(i, "weight", _l("A weighted sum needs a weight above 0 for every stage."))
        keys: dict = {}
        for k, key in enumerate(data["tie_break"]):
            if key != SUBMITTED_AT and key not in criteria:
                keys[k] = [_l("Name a criterion code of this rubric or submitted_at.")]
            elif key in data["tie_break"][:k]:
                keys[k] = [_l("This key is listed twice.")]
        if keys:
            errors["tie_break"] = keys
        if errors:
            raise ValidationError(errors)


class _Named(OutSchema):
    """Names and guidance in both languages, and in the viewer's (falling back to Korean)."""

    name = fields.String()
    name_en = fields.String()
    display_name = fields.Method("_display_name")
    guidance = fields.String()
    guidance_en = fields.String()
    display_guidance = fields.Method("_display_guidance")

    def _display_name(self, obj) -> str:
        return obj.display_name(self.viewer.lang)

    def _display_guidance(self, obj) -> str:
        return obj.display_guidance(self.viewer.lang)


def _max_total(stage) -> str:
    # A criterion adds points / max_score * weight to the stage total, so the weights add up to its maximum.
    return format(sum((c.weight for c in stage.criteria), Decimal(0)).normalize(), "f")


class CriterionOut(_Named):
    """A criterion: names and guidance, the points an evaluator gives (0..max_score) and its weight."""

    id = fields.Integer()
    code = fields.String()
    max_score = Score()
    weight = Score()


class StageOut(_Named):
    """A stage with its gate, its weight and its criteria in order; `max_total` is the highest stage total."""

    id = fields.Integer()
    code = fields.String()
    weight = Score()
    gate_top = fields.Integer(allow_none=True)
    gate_min = Score(allow_none=True)
    max_total = fields.Function(_max_total)
    criteria = Part(CriterionOut, many=True)


class RubricOut(OutSchema):
    """A call's rubric: the settings, whether it is locked (scoring has begun) and the stages in order."""

    call = fields.Integer(attribute="call_id")
    locked = fields.Boolean()
    aggregation = fields.String(attribute="settings.aggregation")
    combination = fields.String(attribute="settings.combination")
    min_total = Score(attribute="settings.min_total", allow_none=True)
    tie_break = fields.List(fields.String(), attribute="settings.tie_break")
    show_evaluator_names = fields.Boolean(attribute="settings.show_evaluator_names")
    objection_days = fields.Integer(attribute="settings.objection_days")
    stages = Part(StageOut, many=True)
