"""Account forms."""
from flask_babel import lazy_gettext as _l
from marshmallow import validate

from webapp.core.fields import MESSAGES, BaseSchema, Stripped, text


class RegisterIn(BaseSchema):
    email = Stripped(
        required=True,
        validate=[
            validate.Email(error=_l("Not a valid e-mail address.")),
            validate.Length(max=254, error=_l("Must be between {min} and {max} characters long.")),
        ],
        error_messages=MESSAGES,
    )
    display_name = text(60)
    password = text(200, strip=False)


class LoginIn(BaseSchema):
    email = text(254)
    password = text(200, strip=False)


class PasswordChangeIn(BaseSchema):
    current_password = text(200, strip=False)
    new_password = text(200, strip=False)
    new_password2 = text(200, strip=False)
