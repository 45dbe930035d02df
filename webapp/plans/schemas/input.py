"""Plan input: plan fields, items with sites, budget lines, KPI targets, milestones, comments, the web forms' shape."""
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate
from shapely.geometry import shape

from webapp.core.fields import MESSAGES, BaseSchema, as_id, id_field, integer, krw, text
from webapp.models import FUNDING_SOURCES
from webapp.models.plans import COMMENT_MAX


class TotalsIn(BaseSchema):
    """Budget totals by source typed in the editor but not saved yet (whole KRW), for a preview check."""

    national = krw()
    local = krw()
    private = krw()


TITLE_MAX = 200
TEXT_MAX = 10_000
MAX_ROWS = 50
GEOMETRY_TYPES = ("Point", "LineString", "Polygon")
RANGE = _l("Must be between {min} and {max}.")


class Ids(fields.Field):
    """A list of ids (or one id, or "3, 5"), de-duplicated in order; empty means none."""

    def _deserialize(self, value, attr, data, **kwargs):
        values = value if isinstance(value, (list, tuple)) else str(value).replace(",", " ").split()
        ids = []
        for v in values:
            number = as_id(v)
            if number is None:
                raise ValidationError(_l("Give numbers."))
            if number not in ids:
                ids.append(number)
        return ids


class DecimalText(fields.Field):
    """A decimal number given as text or an integer; floats are refused so that no value is rounded.

    Output is text too ("12.5", "8"): a JSON number would become a float.
    """

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else format(value.normalize(), "f")

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, (bool, float)) or not isinstance(value, (int, str)):
            raise ValidationError(_l("Give the number as text, e.g. \"12.5\"."))
        try:
            number = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            raise ValidationError(_l("Not a valid number.")) from None
        # Numeric(20, 4): at most 16 digits before the point and 4 after.
        if not number.is_finite() or abs(number) >= Decimal(10) ** 16 or number != number.quantize(Decimal("0.0001")):
            raise ValidationError(_l("Give at most 16 digits before and 4 after the decimal point."))
        return number


class Geometry(fields.Field):
    """A GeoJSON Point, LineString or Polygon, valid and with WGS84 coordinates, as a shapely shape."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, dict) and value.get("type") == "Feature":
            value = value.get("geometry")
        if not isinstance(value, dict) or value.get("type") not in GEOMETRY_TYPES:
            raise ValidationError(_l("Draw a point, a line or an area."))
        try:
            geom = shape(value)
        except Exception:  # shapely raises many types for malformed coordinates
            raise ValidationError(_l("This shape is not valid GeoJSON.")) from None
        if geom.is_empty or not geom.is_valid:
            raise ValidationError(_l("This shape is not valid (e.g. an area crossing itself)."))
        minx, miny, maxx, maxy = geom.bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            raise ValidationError(_l("Site coordinates are out of range."))
        return geom


class SiteIn(BaseSchema):
    name = text(200, required=False, load_default="")
    geometry = Geometry(required=True, error_messages=MESSAGES)


class BudgetLineIn(BaseSchema):
    source = fields.String(required=True, validate=validate.OneOf(FUNDING_SOURCES, error=_l("Unknown funding source.")),
                           error_messages=MESSAGES)
    amount = krw()
    year = integer(validate=validate.Range(min=2000, max=2100, error=RANGE))
    description = text(200, required=False, load_default="")


class KpiTargetIn(BaseSchema):
    kpi = id_field()
    baseline_value = DecimalText(load_default=None, error_messages=MESSAGES)
    baseline_on = fields.Date(load_default=None, error_messages={**MESSAGES, "invalid": _l("Not a valid date.")})
    target_value = DecimalText(load_default=None, error_messages=MESSAGES)
    target_on = fields.Date(load_default=None, error_messages={**MESSAGES, "invalid": _l("Not a valid date.")})
    method = text(TEXT_MAX, required=False, load_default="", multiline=True)


class MilestoneIn(BaseSchema):
    title = text(TITLE_MAX)
    due_on = fields.Date(required=True, error_messages={**MESSAGES, "invalid": _l("Not a valid date.")})


def _rows(schema):
    return fields.List(fields.Nested(schema), validate=validate.Length(max=MAX_ROWS, error=_l("At most {max} rows.")),
                       error_messages=MESSAGES)


class PlanIn(BaseSchema):
    call = id_field()
    municipality = text(10, required=False, load_default=None)
    title = text(TITLE_MAX)
    summary = text(TEXT_MAX, required=False, load_default="", multiline=True)
    goals = text(TEXT_MAX, required=False, load_default="", multiline=True)


class PlanPatch(BaseSchema):
    title = text(TITLE_MAX, required=False)
    summary = text(TEXT_MAX, required=False, min_length=0, multiline=True)
    goals = text(TEXT_MAX, required=False, min_length=0, multiline=True)


class ItemIn(BaseSchema):
    """An item; on update only the keys sent change, and a list sent replaces the stored one."""

    title = text(TITLE_MAX)
    description = text(TEXT_MAX, required=False, multiline=True)
    solution = id_field(required=False, allow_none=True)
    reports = Ids(required=False, error_messages=MESSAGES)
    proposals = Ids(required=False, error_messages=MESSAGES)
    sites = _rows(SiteIn)
    budget_lines = _rows(BudgetLineIn)
    kpi_targets = _rows(KpiTargetIn)
    milestones = _rows(MilestoneIn)


class ItemPatch(ItemIn):
    title = text(TITLE_MAX, required=False)


ROW_FIELDS = {
    "budget_lines": ("source", "amount", "year", "description"),
    "kpi_targets": ("kpi", "baseline_value", "baseline_on", "target_value", "target_on", "method"),
    "milestones": ("title", "due_on"),
}
# A row the form always shows with a pre-selected value still counts as blank when only that is set.
ROW_DEFAULTS = {"budget_lines": ("source", "year")}


def sites_from_text(value: str):
    """Sites typed or drawn into the form: a GeoJSON FeatureCollection, Feature list or geometry list."""
    import json

    from webapp.errors import ValidationFailed

    try:
        parsed = json.loads(value)
    except ValueError:
        raise ValidationFailed(fields={"sites": [_l("This shape is not valid GeoJSON.")]}) from None
    if isinstance(parsed, dict) and parsed.get("type") == "FeatureCollection":
        parsed = parsed.get("features") or []
    if not isinstance(parsed, list):
        parsed = [parsed]
    sites = []
    for entry in parsed:
        if isinstance(entry, dict) and entry.get("type") == "Feature":
            entry = {"name": str((entry.get("properties") or {}).get("name") or ""), "geometry": entry.get("geometry")}
        elif isinstance(entry, dict) and "geometry" not in entry:
            entry = {"geometry": entry}
        sites.append(entry)
    return sites


def item_from_form(form) -> dict:
    """The item form (rows named budget_lines-0-amount, ...) as ItemIn input; wholly blank rows are dropped."""
    data = {k: form.get(k, "") for k in ("title", "description", "solution")}
    data["reports"] = form.getlist("reports")
    data["proposals"] = form.getlist("proposals")
    for group, names in ROW_FIELDS.items():
        rows, index = [], 0
        while any(f"{group}-{index}-{n}" in form for n in names):
            row = {n: form.get(f"{group}-{index}-{n}", "") for n in names}
            filled = [n for n in names if row[n].strip() and n not in ROW_DEFAULTS.get(group, ())]
            if filled:
                rows.append(row)
            index += 1
        data[group] = rows
    sites = form.get("sites", "").strip()
    data["sites"] = sites_from_text(sites) if sites else []
    return data


class PlanCommentIn(BaseSchema):
    """A consultation or public comment on a plan, optionally on one of its items."""

    body = text(COMMENT_MAX, multiline=True)
    item = id_field(required=False, load_default=None, allow_none=True)
