"""Field helpers whose error messages are translated, and a loader that raises our error type."""
import re

from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate

from webapp.errors import ValidationFailed
from webapp.request_guard import ANY_CONTROL, CONTROL, CONTROL_MESSAGE, ID_MAX

INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # an Integer column on both databases
# ASCII digits only: str.isdigit() also accepts "²" and "٣", which int() then refuses or reads.
_DIGITS = re.compile(r"[0-9]{1,19}")
_SIGNED = re.compile(r"[+-]?[0-9]{1,19}")

AMOUNT_MAX = 10**15  # a thousand trillion won: far above any call, far below BigInteger's limit
REQUIRED = _l("This field is required.")
MESSAGES = {
    "required": REQUIRED,
    "null": REQUIRED,
    "invalid": _l("Not a valid value."),
}


class BaseSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    @pre_load
    def _blank_means_missing(self, data, **kwargs):
        """An empty form field counts as not given (HTML forms send "" for untouched inputs)."""
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not (isinstance(v, str) and v.strip() == "")}
        return data


def ascii_digits(value) -> bool:
    """Whether `value` is a string of ASCII digits short enough to be an id or an amount."""
    return isinstance(value, str) and _DIGITS.fullmatch(value) is not None


def as_id(value) -> int | None:
    """A row id (1 to 2^31-1) given as an int or as ASCII digits, else None."""
    if isinstance(value, str):
        value = value.strip()
        if not ascii_digits(value):
            return None
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= ID_MAX:
        return None
    return value


def whole_number(value, separators: bool = False) -> int | None:
    """An int given as an int or as ASCII digits with an optional sign ("1,500" too if `separators`), else None.

    Floats (1e308, 3.0), yes/no values and other scripts' digits are None: the caller refuses them.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        digits = value.strip()
        if separators:
            digits = digits.replace(",", "").replace(" ", "")
        if _SIGNED.fullmatch(digits):
            return int(digits)
    return None


class Text(fields.String):
    """A string without control characters (tab and line breaks only if `multiline`) or lone surrogates."""

    def __init__(self, *args, multiline: bool = False, **kw):
        super().__init__(*args, **kw)
        self.multiline = multiline

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if (CONTROL if self.multiline else ANY_CONTROL).search(value):
            raise ValidationError(CONTROL_MESSAGE)
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate such as "\ud800" from a JSON escape
            raise ValidationError(_l("This text contains characters that are not valid.")) from None
        return value


class Stripped(Text):
    """A string whose surrounding whitespace is removed before it is validated."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


def word(**kw):
    """An optional single-line string (a code or a filter value), free of control characters."""
    return Text(load_default=None, error_messages=MESSAGES, **kw)


def text(max_length: int, required: bool = True, min_length: int = 1, strip: bool = True,
         multiline: bool = False, **kw):
    """A string field with a length limit, stripped unless `strip` is False (passwords)."""
    return (Stripped if strip else Text)(
        multiline=multiline,
        required=required,
        validate=validate.Length(
            min=min_length if required else 0,
            max=max_length,
            error=_l("Must be between {min} and {max} characters long."),
        ),
        error_messages=MESSAGES,
        **kw,
    )


def number(lo: float, hi: float, **kw):
    """A float field within [lo, hi]."""
    return fields.Float(
        required=True,
        allow_nan=False,
        validate=validate.Range(min=lo, max=hi, error=_l("Must be between {min} and {max}.")),
        error_messages={**MESSAGES, "invalid": _l("Not a valid number.")},
        **kw,
    )


def latitude(**kw):
    return number(-90, 90, **kw)


def longitude(**kw):
    return number(-180, 180, **kw)


class Int(fields.Field):
    """A whole number within [lo, hi]: an int or a string of ASCII digits; never a float or a yes/no."""

    def __init__(self, lo: int = INT_MIN, hi: int = INT_MAX, **kw):
        super().__init__(**kw)
        self.lo, self.hi = lo, hi

    def _deserialize(self, value, attr, data, **kwargs):
        value = whole_number(value)
        if value is None:
            raise self.make_error("invalid")
        if not self.lo <= value <= self.hi:
            raise ValidationError(_l("Must be between {min} and {max}.").format(min=self.lo, max=self.hi))
        return value


def integer(required: bool = True, lo: int = INT_MIN, hi: int = INT_MAX, **kw):
    """A whole number within an Integer column's range (or [lo, hi])."""
    return Int(
        lo=lo,
        hi=hi,
        required=required,
        error_messages={**MESSAGES, "invalid": _l("Not a valid whole number.")},
        **kw,
    )


def id_field(required: bool = True, **kw):
    """The id of a row: a whole number from 1 to 2^31-1."""
    return integer(required=required, lo=1, hi=ID_MAX, **kw)


def boolean(**kw):
    return fields.Boolean(
        load_default=False,
        error_messages={**MESSAGES, "invalid": _l("Not a valid yes/no value.")},
        **kw,
    )


def load(schema: Schema, data) -> dict:
    """Validate `data` with `schema`, raising ValidationFailed with the bad fields named."""
    if data is None:
        raise ValidationFailed(fields={"_schema": [_l("Send the request body as JSON.")]})
    try:
        return schema.load(data)
    except ValidationError as err:
        raise ValidationFailed(fields=err.messages) from err


class Krw(fields.Field):
    """Whole won as an integer, or a string of digits with optional thousands separators ("1,500,000")."""

    def _deserialize(self, value, attr, data, **kwargs):
        # Only whole numbers in ASCII digits: "1.5e9", "12.5", 1e308 and "١٠" are refused, never rounded or read.
        value = whole_number(value, separators=True)
        if value is None:
            raise ValidationError(_l("Give a whole amount of won, e.g. 1,500,000."))
        if not 0 <= value <= AMOUNT_MAX:
            raise ValidationError(_l("Must be between {min} and {max}.").format(min=0, max=f"{AMOUNT_MAX:,}"))
        return value


def krw(required: bool = True, **kw):
    return Krw(required=required, error_messages=MESSAGES, **kw)


class BBox(fields.Field):
    """`minlon,minlat,maxlon,maxlat` as a tuple of four floats."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            parts = [float(p) for p in str(value).split(",")]
        except ValueError:
            parts = []
        if len(parts) != 4 or any(p != p for p in parts):
            raise ValidationError(_l("Give the box as minlon,minlat,maxlon,maxlat."))
        minx, miny, maxx, maxy = parts
        if not (-180 <= minx <= 180 and -180 <= maxx <= 180 and -90 <= miny <= 90 and -90 <= maxy <= 90):
            raise ValidationError(_l("Box coordinates are out of range."))
        if minx >= maxx or miny >= maxy:
            raise ValidationError(_l("The box minimum must be smaller than its maximum."))
        return tuple(parts)
