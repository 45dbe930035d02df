"""Catalogue input (admin forms, API bodies, CSV rows) and output (API)."""
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate, validates, validates_schema

from webapp.core.fields import MESSAGES, BaseSchema, Stripped, Text, boolean, text, whole_number
from webapp.core.output import OutSchema, Part
from webapp.models import DIRECTIONS, DOMAINS, STANDARDS, THEMES

CODE_MAX = 40
NAME_MAX = 150
UNIT_MAX = 60
LONG_TEXT_MAX = 10000
# KRW amounts fit a BigInteger; anything larger is a typing slip.
COST_MAX = 10**15


def code_field(**kw):
    """An entry code such as SMART_CROSSWALK: capitals, digits and underscores."""
    return Stripped(
        required=True,
        validate=[
            validate.Length(min=1, max=CODE_MAX, error=_l("Must be between {min} and {max} characters long.")),
            validate.Regexp(r"^[A-Z0-9_]+$", error=_l("Use only capital letters A-Z, digits and underscores.")),
        ],
        error_messages=MESSAGES,
        **kw,
    )


def choice(options, **kw):
    """A required string that must be one of `options`."""
    return Text(
        required=True,
        validate=validate.OneOf(options, error=_l("Choose one of: {choices}.")),
        error_messages=MESSAGES,
        **kw,
    )


class CodeList(fields.Field):
    """A list of codes given as a list (forms, JSON) or as one ";"-separated string (CSV)."""

    def __init__(self, allowed=None, **kw):
        super().__init__(**kw)
        self.allowed = allowed

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = value.split(";")
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise ValidationError(_l("Not a valid value."))
        codes = []
        for item in (v.strip() for v in value):
            if item and item not in codes:
                codes.append(item)
        if self.allowed is not None:
            unknown = [c for c in codes if c not in self.allowed]
            if unknown:
                raise ValidationError(_l("Unknown: %(codes)s.", codes=", ".join(unknown)))
            # Stored in the vocabulary's order, so equal sets always read the same.
            codes = [c for c in self.allowed if c in codes]
        return codes


class Krw(fields.Integer):
    """Whole won; "150,000,000" as typed in a form is accepted, 1.5 is not."""

    def _deserialize(self, value, attr, data, **kwargs):
        number = whole_number(value, separators=True)
        if number is None:
            raise self.make_error("invalid")
        return super()._deserialize(number, attr, data, **kwargs)


def cost(**kw):
    """An optional non-negative amount in KRW."""
    return Krw(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=0, max=COST_MAX, error=_l("Must be between {min} and {max}.")),
        error_messages={**MESSAGES, "invalid": _l("Not a valid whole number.")},
        **kw,
    )


class KpiIn(BaseSchema):
    """A KPI from the admin form, the API or a CSV row."""

    code = code_field()
    name = text(NAME_MAX)
    name_en = text(NAME_MAX)
    unit = text(UNIT_MAX)
    unit_en = text(UNIT_MAX)
    direction = choice(DIRECTIONS)
    theme = choice(THEMES)
    standards = CodeList(allowed=STANDARDS, required=True, error_messages=MESSAGES)
    retired = boolean()

    @validates_schema
    def _some_standard(self, data, **kwargs):
        if "standards" in data and not data["standards"]:
            raise ValidationError(_l("Name at least one source standard."), "standards")


class SolutionIn(BaseSchema):
    """A solution from the admin form, the API or a CSV row; `known_kpis` are the codes it may link."""

    code = code_field()
    name = text(NAME_MAX)
    name_en = text(NAME_MAX)
    domain = choice(DOMAINS)
    description = text(LONG_TEXT_MAX, multiline=True)
    description_en = text(LONG_TEXT_MAX, required=False, load_default="", multiline=True)
    cost_min = cost()
    cost_max = cost()
    kpis = CodeList(load_default=list)
    results = text(LONG_TEXT_MAX, required=False, load_default="", multiline=True)
    results_en = text(LONG_TEXT_MAX, required=False, load_default="", multiline=True)
    retired = boolean()

    def __init__(self, known_kpis=None, **kw):
        super().__init__(**kw)
        self.known_kpis = None if known_kpis is None else set(known_kpis)

    @validates("kpis")
    def _known_kpis(self, value, **kwargs):
        if self.known_kpis is not None:
            unknown = [c for c in value if c not in self.known_kpis]
            if unknown:
                raise ValidationError(_l("Unknown KPI: %(codes)s.", codes=", ".join(unknown)))

    @validates_schema(skip_on_field_errors=False)
    def _cost_order(self, data, **kwargs):
        low, high = data.get("cost_min"), data.get("cost_max")
        if low is not None and high is not None and low > high:
            raise ValidationError(_l("The lowest cost cannot be above the highest."), "cost_max")


class SolutionQuery(BaseSchema):
    domain = Text(load_default=None, validate=validate.OneOf(DOMAINS, error=_l("Unknown domain.")))
    include_retired = boolean()


class KpiQuery(BaseSchema):
    theme = Text(load_default=None, validate=validate.OneOf(THEMES, error=_l("Unknown theme.")))
    include_retired = boolean()


class KpiOut(OutSchema):
    """A KPI for the API: names and units in both languages, and the viewer's as display_name/display_unit."""

    code = fields.String()
    name = fields.String()
    name_en = fields.String()
    display_name = fields.Method("_display_name")
    unit = fields.String()
    unit_en = fields.String()
    display_unit = fields.Method("_display_unit")
    direction = fields.String()
    theme = fields.String()
    standards = fields.Function(lambda kpi: kpi.standard_list())
    retired = fields.Boolean()

    def _display_name(self, kpi) -> str:
        return kpi.display_name(self.viewer.lang)

    def _display_unit(self, kpi) -> str:
        return kpi.display_unit(self.viewer.lang)


class SolutionOut(OutSchema):
    """A solution for the API: texts in both languages, the name in the viewer's as display_name, KPI codes."""

    code = fields.String()
    name = fields.String()
    name_en = fields.String()
    display_name = fields.Method("_display_name")
    domain = fields.String()
    description = fields.String()
    description_en = fields.String()
    cost_min = fields.Integer(allow_none=True)
    cost_max = fields.Integer(allow_none=True)
    results = fields.String()
    results_en = fields.String()
    kpis = fields.Function(lambda s: [k.code for k in s.kpis])
    retired = fields.Boolean()

    def _display_name(self, solution) -> str:
        return solution.display_name(self.viewer.lang)


class SolutionsOut(OutSchema):
    """A list of solutions (already filtered by domain and retirement) under `solutions`."""

    solutions = Part(SolutionOut, many=True, whole=True)


class KpisOut(OutSchema):
    """A list of KPIs (already filtered by theme and retirement) under `kpis`."""

    kpis = Part(KpiOut, many=True, whole=True)
