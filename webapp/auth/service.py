"""Accounts: registration, sign-in, passwords and role grants."""
import functools
import secrets
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from webapp.errors import ValidationFailed
from webapp.extensions import db
from webapp.models import ROLES, SCOPED_ROLES, RoleGrant, User

MIN_PASSWORD = 10
COMMON_PASSWORDS = Path(__file__).resolve().parent.parent / "seeds" / "common-passwords.txt"
# A part of the e-mail address or name shorter than this is not looked for in the password.
_MIN_PERSONAL_PART = 3


def find_by_email(email: str) -> User | None:
    """The user with this e-mail address (case-insensitive), or None."""
    return db.session.scalars(select(User).where(func.lower(User.email) == email.strip().lower())).first()


@functools.cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower-cased."""
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def password_problems(password: str, email: str = "", display_name: str = "") -> list:
    """Why `password` is refused (empty when it is acceptable)."""
    if len(password) < MIN_PASSWORD:
        return [_l("Use at least %(n)d characters.", n=MIN_PASSWORD)]
    lowered = password.lower()
    if lowered.strip() in common_passwords():
        return [_l("This password is too common. Choose one that is harder to guess.")]
    name = display_name.strip().lower()
    personal = [email.strip().lower().partition("@")[0], name, *name.split()]
    if any(len(part) >= _MIN_PERSONAL_PART and part in lowered for part in personal):
        return [_l("The password must not contain your e-mail address or your name.")]
    return []


def check_password_rules(password: str, email: str = "", display_name: str = "", field: str = "password") -> None:
    """Raise ValidationFailed on `field` when the password breaks a rule."""
    problems = password_problems(password, email, display_name)
    if problems:
        raise ValidationFailed(fields={field: problems})


def register(email: str, display_name: str, password: str, locale: str = "ko") -> User | None:
    """Create a resident account; None when the address is taken.

    The caller must answer both cases alike: whether an address has an account is not told.
    The password is hashed either way, so both take about as long.
    """
    check_password_rules(password, email, display_name)
    password_hash = generate_password_hash(password)
    if find_by_email(email):
        return None
    user = User(email=email.strip().lower(), display_name=display_name.strip(), locale=locale,
                password_hash=password_hash)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        # Two registrations with the same address at once: the unique constraint decides.
        db.session.rollback()
        return None
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
    check_password_rules(password, email, display_name)
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
        db.session.rollback()
        raise ValidationFailed(fields={"email": [_l("An account with this e-mail address exists.")]}) from err


@functools.cache
def _dummy_hash() -> str:
    # Checked against when no account has the address, so that answer takes as long as a real check.
    return generate_password_hash(secrets.token_hex(16))


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None; one password check in every case."""
    user = find_by_email(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if user.check_password(password) and user.active:
        return user
    return None


def end_sessions(user: User) -> None:
    """Give `user` a new session token: every session and remember cookie issued before is dead."""
    user.session_token = secrets.token_hex(16)
    db.session.commit()


def change_password(user: User, current: str, new: str, repeated: str) -> None:
    """Replace the password after checking the current one; ends every other session."""
    if not user.check_password(current):
        raise ValidationFailed(fields={"current_password": [_l("The current password is wrong.")]})
    if new != repeated:
        raise ValidationFailed(fields={"new_password2": [_l("The two new passwords differ.")]})
    check_password_rules(new, user.email, user.display_name, field="new_password")
    user.set_password(new)
    end_sessions(user)


def _check_role(role: str, municipality) -> None:
    if role not in ROLES:
        raise ValidationFailed(fields={"role": [_l("Unknown role.")]})
    if role in SCOPED_ROLES and municipality is None:
        raise ValidationFailed(fields={"municipality": [_l("This role needs a municipality.")]})


def _add_grant(user: User, role: str, municipality) -> None:
    municipality_id = municipality.id if role in SCOPED_ROLES else None
    if not any(g.role == role and g.municipality_id == municipality_id for g in user.grants):
        user.grants.append(RoleGrant(role=role, municipality_id=municipality_id))
