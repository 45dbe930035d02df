"""Accounts: registration, sign-in and role grants."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from webapp.errors import ValidationFailed
from webapp.extensions import db
from webapp.models import ROLES, SCOPED_ROLES, RoleGrant, User

MIN_PASSWORD = 8


def find_by_email(email: str) -> User | None:
    """The user with this e-mail address (case-insensitive), or None."""
    return db.session.scalars(select(User).where(func.lower(User.email) == email.strip().lower())).first()


def register(email: str, display_name: str, password: str, locale: str = "ko") -> User:
    """Create a resident account; the e-mail address must be new."""
    user = _new_user(email, display_name, password, locale)
    _save(user)
    return user


def create_account(email: str, display_name: str, password: str, roles=(), municipality=None) -> User:
    """Create an account (or take the existing one) with `roles`, all in one transaction.

    Every role is checked before anything is written, so a refused role leaves no account behind.
    """
    for role in roles:
        _check_role(role, municipality)
    user = find_by_email(email) or _new_user(email, display_name, password)
    for role in roles:
        _add_grant(user, role, municipality)
    _save(user)
    return user


def _new_user(email: str, display_name: str, password: str, locale: str = "ko") -> User:
    if len(password) < MIN_PASSWORD:
        raise ValidationFailed(fields={"password": [_l("Use at least %(n)d characters.", n=MIN_PASSWORD)]})
    if find_by_email(email):
        raise ValidationFailed(fields={"email": [_l("An account with this e-mail address exists.")]})
    user = User(email=email.strip().lower(), display_name=display_name.strip(), locale=locale)
    user.set_password(password)
    return user


def _save(user: User) -> None:
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError as err:
        # Two registrations with the same address at once: the unique constraint decides.
        db.session.rollback()
        raise ValidationFailed(fields={"email": [_l("An account with this e-mail address exists.")]}) from err


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None."""
    user = find_by_email(email)
    if user and user.active and user.check_password(password):
        return user
    return None


def grant(user: User, role: str, municipality=None) -> None:
    """Give `user` a role (planners and consultants are scoped to a municipality)."""
    _check_role(role, municipality)
    _add_grant(user, role, municipality)
    db.session.commit()


def _check_role(role: str, municipality) -> None:
    if role not in ROLES:
        raise ValidationFailed(fields={"role": [_l("Unknown role.")]})
    if role in SCOPED_ROLES and municipality is None:
        raise ValidationFailed(fields={"municipality": [_l("This role needs a municipality.")]})


def _add_grant(user: User, role: str, municipality) -> None:
    municipality_id = municipality.id if role in SCOPED_ROLES else None
    if not any(g.role == role and g.municipality_id == municipality_id for g in user.grants):
        user.grants.append(RoleGrant(role=role, municipality_id=municipality_id))
