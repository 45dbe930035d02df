"""Field helpers whose error messages are translated, and a loader that raises our error type."""
from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate

from webapp.errors import ValidationFailed

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


class Stripped(fields.String):
    """A string whose surrounding whitespace is removed before it is validated."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


def text(max_length: int, required: bool = True, min_length: int = 1, strip: bool = True, **kw):
    """A string field with a length limit, stripped unless `strip` is False (passwords)."""
    return (Stripped if strip else fields.String)(
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


def integer(required: bool = True, **kw):
    return fields.Integer(
        required=required,
        error_messages={**MESSAGES, "invalid": _l("Not a valid whole number.")},
        **kw,
    )


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
