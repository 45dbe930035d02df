"""Moderation: residents flag what others wrote; staff of its municipality hide it (with a public reason),
show it again, or keep it. Every staff decision is audited and resolves the item's open flags."""
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from webapp.core import audit
from webapp.core.db import get_or_404
from webapp.core.time import utcnow
from webapp.errors import Conflict, NotFound, ValidationFailed
from webapp.extensions import db
from webapp.models import (
    FLAG_REASONS,
    FLAGGABLE,
    Comment,
    Flag,
    Plan,
    PlanComment,
    Proposal,
    ProposalComment,
    Report,
)
from webapp.models.moderation import NOTE_MAX, REASON_MAX
from webapp.permissions import can, moderated_municipalities, require

# kind -> (model, model of the item it belongs to, foreign key to that item); the owner gives the municipality.
KINDS = {
    "report": (Report, None, None),
    "comment": (Comment, Report, "report_id"),
    "proposal": (Proposal, None, None),
    "proposal_comment": (ProposalComment, Proposal, "proposal_id"),
    "plan_comment": (PlanComment, Plan, "plan_id"),
}
HIDDEN_LIMIT = 50


@dataclass
class Target:
    """A flaggable item with what it belongs to (the report, proposal or plan holding the municipality)."""

    kind: str
    item: object
    owner: object

    @property
    def id(self) -> int:
        return self.item.id

    @property
    def municipality_id(self) -> int:
        return self.owner.municipality_id

    @property
    def author_id(self) -> int:
        return self.item.author_id


@dataclass
class QueueEntry:
    """An item with open flags: how many, for which reasons, since when, and the residents' notes."""

    target: Target
    counts: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    first_flagged_at: datetime | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _spec(kind: str):
    if kind not in KINDS:
        raise NotFound()
    return KINDS[kind]


def _owner(kind: str, item):
    _model, parent, key = _spec(kind)
    return item if parent is None else db.session.get(parent, getattr(item, key))


def target(kind: str, target_id: int) -> Target:
    """The item of this kind and id with its owner, or NotFound."""
    model, _parent, _key = _spec(kind)
    item = get_or_404(model, target_id)
    return Target(kind, item, _owner(kind, item))


def _visible(user, found: Target) -> bool:
    # Consultation comments on drafts are not public; only those who read the draft know they exist.
    if found.kind == "plan_comment" and not found.item.public:
        return can(user, "plan.read_draft", found.owner)
    return True


def _open_flags(found: Target) -> list[Flag]:
    return list(db.session.scalars(select(Flag).where(
        Flag.target_kind == found.kind, Flag.target_id == found.id, Flag.resolved_at.is_(None))))


def _existing_flag(user, kind: str, target_id: int) -> Flag | None:
    return db.session.scalars(select(Flag).where(
        Flag.user_id == user.id, Flag.target_kind == kind, Flag.target_id == target_id)).first()


def flag(user, kind: str, target_id: int, reason: str, note: str = "") -> tuple[Flag, bool]:
    """Flag an item for staff; flagging it again returns the first flag. Returns (flag, created)."""
    found = target(kind, target_id)
    if not _visible(user, found):
        raise NotFound()
    require(user, "content.flag", found.item)
    if reason not in FLAG_REASONS:
        raise ValidationFailed(fields={"reason": [_l("Choose a reason.")]})
    existing = _existing_flag(user, kind, target_id)
    if existing is not None:
        return existing, False
    if found.item.hidden:
        raise Conflict(_l("This has already been hidden by moderation."))
    created = Flag(user_id=user.id, target_kind=kind, target_id=target_id, reason=reason,
                   note=(note or "").strip()[:NOTE_MAX])
    db.session.add(created)
    try:
        db.session.commit()
    except IntegrityError:
        # The same person flagged it twice at once: the other request's flag stands.
        db.session.rollback()
        return _existing_flag(user, kind, target_id), False
    return created, True


def _resolve(found: Target) -> int:
    now, flags = utcnow(), _open_flags(found)
    for open_flag in flags:
        open_flag.resolved_at = now
    return len(flags)


def require_moderator(user, found: Target) -> None:
    """Raise Unauthorized or Forbidden unless the user moderates the target's municipality."""
    require(user, "content.moderate", found.owner)


def _moderated(user, kind: str, target_id: int) -> Target:
    found = target(kind, target_id)
    require_moderator(user, found)
    return found


def hide(user, kind: str, target_id: int, reason: str) -> Target:
    """Hide an item from the public with a public reason; its open flags are resolved."""
    found = _moderated(user, kind, target_id)
    reason = (reason or "").strip()
    if not reason or len(reason) > REASON_MAX:
        raise ValidationFailed(fields={"reason": [_l("Give the public reason for hiding it.")]})
    if found.item.hidden:
        raise Conflict(_l("This has already been hidden by moderation."))
    found.item.hidden_at = utcnow()
    found.item.hidden_reason = reason
    resolved = _resolve(found)
    audit.record(user, "moderation.hide", found.item, kind=kind, reason=reason, flags=resolved)
    db.session.commit()
    return found


def unhide(user, kind: str, target_id: int, reason: str = "") -> Target:
    """Show a hidden item again; the reason (optional) goes into the audit trail."""
    found = _moderated(user, kind, target_id)
    if not found.item.hidden:
        raise Conflict(_l("This is not hidden."))
    previous = found.item.hidden_reason
    found.item.hidden_at = None
    found.item.hidden_reason = None
    resolved = _resolve(found)
    audit.record(user, "moderation.unhide", found.item, kind=kind, reason=(reason or "").strip()[:REASON_MAX],
                 hidden_reason=previous, flags=resolved)
    db.session.commit()
    return found


def dismiss(user, kind: str, target_id: int) -> Target:
    """Keep an item as it is and resolve its open flags."""
    found = _moderated(user, kind, target_id)
    resolved = _resolve(found)
    if not resolved:
        raise Conflict(_l("There are no open flags on this."))
    audit.record(user, "moderation.dismiss", found.item, kind=kind, flags=resolved)
    db.session.commit()
    return found


def _municipality_column(kind: str):
    model, parent, _key = _spec(kind)
    return (parent or model).municipality_id


def _scoped(stmt, kind: str, places):
    model, parent, key = _spec(kind)
    if parent is not None:
        stmt = stmt.join(parent, parent.id == getattr(model, key))
    if places is not None:
        stmt = stmt.where(_municipality_column(kind).in_(places))
    return stmt


def _targets(kind: str, ids) -> dict[int, Target]:
    model, _parent, _key = _spec(kind)
    items = db.session.scalars(select(model).where(model.id.in_(list(ids)))) if ids else []
    return {item.id: Target(kind, item, _owner(kind, item)) for item in items}


def queue(user) -> list[QueueEntry]:
    """Items with open flags in the municipalities the user moderates, most flagged first, then oldest."""
    require(user, "moderation.queue")
    places = moderated_municipalities(user)
    entries = []
    for kind in FLAGGABLE:
        model, _parent, _key = _spec(kind)
        stmt = _scoped(
            select(Flag.target_id, Flag.reason, Flag.note, Flag.created_at)
            .join(model, model.id == Flag.target_id)
            .where(Flag.target_kind == kind, Flag.resolved_at.is_(None)),
            kind, places,
        ).order_by(Flag.created_at, Flag.id)
        by_id: dict[int, QueueEntry] = {}
        for target_id, reason, note, created_at in db.session.execute(stmt):
            entry = by_id.setdefault(target_id, QueueEntry(target=None, first_flagged_at=created_at))
            entry.counts[reason] = entry.counts.get(reason, 0) + 1
            if note:
                entry.notes.append(note)
        for target_id, found in _targets(kind, by_id.keys()).items():
            by_id[target_id].target = found
            entries.append(by_id[target_id])
    return sorted(entries, key=lambda e: (-e.total, e.first_flagged_at, e.target.kind, e.target.id))


def hidden_items(user, limit: int = HIDDEN_LIMIT) -> list[Target]:
    """Items hidden in the municipalities the user moderates, most recently hidden first (to show them again)."""
    require(user, "moderation.queue")
    places = moderated_municipalities(user)
    found = []
    for kind in FLAGGABLE:
        model, _parent, _key = _spec(kind)
        stmt = _scoped(select(model).where(model.hidden_at.isnot(None)), kind, places)
        items = db.session.scalars(stmt.order_by(model.hidden_at.desc()).limit(limit))
        found.extend(Target(kind, item, _owner(kind, item)) for item in items)
    return sorted(found, key=lambda t: t.item.hidden_at, reverse=True)[:limit]
