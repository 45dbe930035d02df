"""Call input (window in Seoul time, limits in whole KRW and basis points) and output (`CallOut`)."""
from datetime import datetime
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from webapp.calls import window
from webapp.calls.programmes import PROGRAMMES
from webapp.core.fields import MESSAGES, BaseSchema, Stripped, integer, krw, text
from webapp.core.output import OutSchema, UtcTime, Viewer
from webapp.core.time import SEOUL, as_utc
from webapp.models import BASIS_POINTS


class SeoulDateTime(fields.Field):
    """A local Seoul date-time ("2025-03-01T09:00" or with seconds/space), stored as aware UTC."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, datetime):
            moment = value
        else:
            try:
                moment = datetime.fromisoformat(str(value).strip())
            except ValueError:
                raise ValidationError(_l("Give a date and time like 2025-03-01 09:00.")) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=SEOUL)
        try:
            return as_utc(moment)
        except OverflowError:  # "0001-01-01T00:00" in Seoul falls before year 1 in UTC
            raise ValidationError(_l("Give a date and time like 2025-03-01 09:00.")) from None

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else as_utc(value).isoformat()


class Percent(fields.Field):
    """A share in percent with at most two decimals ("50", "37.5"), loaded as basis points."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            share = Decimal(str(value).strip().rstrip("%").strip()) * 100
        except InvalidOperation:
            raise ValidationError(_l("Give a percentage between 0 and 100.")) from None
        if not share.is_finite() or share != share.to_integral_value() or not 0 <= share <= BASIS_POINTS:
            raise ValidationError(_l("Give a percentage between 0 and 100."))
        return int(share)


class CallIn(BaseSchema):
    title = text(200)
    # Optional; pages in English show the Korean title while it is empty (null clears it).
    title_en = text(200, required=False, allow_none=True)
    programme = Stripped(required=False, error_messages=MESSAGES,
                         validate=validate.OneOf(tuple(PROGRAMMES), error=_l("Choose one of the programmes.")))
    year = integer(validate=validate.Range(min=2000, max=2100, error=_l("Must be between {min} and {max}.")))
    opens_at = SeoulDateTime(required=True, error_messages=MESSAGES)
    closes_at = SeoulDateTime(required=True, error_messages=MESSAGES)
    cap_total = krw(required=False)
    max_national_share_bp = integer(
        required=False,
        validate=validate.Range(min=0, max=BASIS_POINTS, error=_l("Must be between {min} and {max}.")),
    )
    max_national_share_percent = Percent(required=False, error_messages=MESSAGES)
    max_national_amount = krw(required=False)
    selections = integer(
        required=False, validate=validate.Range(min=1, max=1000, error=_l("Must be between {min} and {max}."))
    )
    build_months = integer(
        required=False, validate=validate.Range(min=1, max=120, error=_l("Must be between {min} and {max}."))
    )

    @validates_schema
    def _window(self, data, **kwargs):
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            raise ValidationError(_l("The window must close after it opens."), "closes_at")

    @post_load
    def _percent_to_bp(self, data, **kwargs):
        # The form speaks percent, the API basis points; the model keeps basis points.
        if "max_national_share_percent" in data:
            data["max_national_share_bp"] = data.pop("max_national_share_percent")
        return data


class CallPatch(CallIn):
    """Every field optional: only what is sent changes."""

    title = text(200, required=False)
    year = integer(
        required=False, validate=validate.Range(min=2000, max=2100, error=_l("Must be between {min} and {max}."))
    )
    opens_at = SeoulDateTime(required=False, error_messages=MESSAGES)
    closes_at = SeoulDateTime(required=False, error_messages=MESSAGES)


class CallOut(OutSchema):
    """A call: window in UTC ISO 8601, amounts as integers, its build period and whether it is open at `now`."""

    id = fields.Integer()
    title = fields.String()
    title_en = fields.String(allow_none=True)
    # The title in the viewer's language (the Korean one when there is no English title).
    display_title = fields.Method("_display_title")
    programme = fields.String()
    year = fields.Integer()
    opens_at = UtcTime()
    closes_at = UtcTime()
    cap_total = fields.Integer()
    max_national_share_bp = fields.Integer()
    max_national_amount = fields.Integer()
    selections = fields.Integer()
    build_months = fields.Integer()
    build_period = fields.Function(lambda call: [day.isoformat() for day in window.build_period(call)])
    open = fields.Method("_open")

    def __init__(self, viewer: Viewer, now: datetime, **kw):
        super().__init__(viewer, **kw)
        self.now = now

    def _open(self, call) -> bool:
        return window.is_open(call, self.now)

    def _display_title(self, call) -> str:
        return call.display_title(self.viewer.lang)


class CallListOut(OutSchema):
    """The calls (dumped from the list of them) and whether the viewer may open and change calls."""

    calls = fields.Method("_calls")
    can_manage = fields.Method("_can_manage")

    def __init__(self, viewer: Viewer, now: datetime, **kw):
        super().__init__(viewer, **kw)
        self.now = now

    def _calls(self, calls) -> list:
        return CallOut(self.viewer, now=self.now).dump(calls, many=True)

    def _can_manage(self, calls) -> bool:
        return self.viewer.may("call.manage")
