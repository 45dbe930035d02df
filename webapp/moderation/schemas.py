"""Moderation input (flags, hiding) and output (a flag, flagged and hidden items, the queue)."""
from typing import Any, NamedTuple

from flask_babel import lazy_gettext as _l
from marshmallow import fields, post_dump, validate

from webapp.core.fields import MESSAGES, BaseSchema, integer, text
from webapp.core.output import OutSchema, UtcTime
from webapp.models import FLAG_REASONS, FLAGGABLE
from webapp.models.moderation import NOTE_MAX, REASON_MAX


def _choice(values, error):
    return fields.String(required=True, validate=validate.OneOf(values, error=error), error_messages=MESSAGES)


class FlagFormIn(BaseSchema):
    reason = _choice(FLAG_REASONS, _l("Choose a reason."))
    note = text(NOTE_MAX, required=False, load_default="", multiline=True)


class FlagIn(FlagFormIn):
    kind = _choice(FLAGGABLE, _l("Unknown kind of item."))
    id = integer()


class HideIn(BaseSchema):
    reason = text(REASON_MAX)


class UnhideIn(BaseSchema):
    reason = text(REASON_MAX, required=False, load_default="")


class FlagOut(OutSchema):
    """A resident's flag, and whether this request made it (`created`) or found it already there."""

    kind = fields.String(attribute="target_kind")
    id = fields.Integer(attribute="target_id")
    reason = fields.String()
    note = fields.String()
    created = fields.Method("_created")
    resolved = fields.Method("_resolved")

    def __init__(self, viewer, created: bool, **kw):
        super().__init__(viewer, **kw)
        self.created = created

    def _created(self, flag) -> bool:
        return self.created

    def _resolved(self, flag) -> bool:
        return flag.resolved_at is not None


class Linked(NamedTuple):
    """A flagged or hidden item (a moderation target, or a queue entry) with the address of the page showing it."""

    item: Any
    url: str


class TargetOut(OutSchema):
    """A flagged or hidden item for staff (given as `Linked`): kind, id, municipality, state and where to see it."""

    kind = fields.String(attribute="item.kind")
    id = fields.Integer(attribute="item.id")
    municipality_id = fields.Integer(attribute="item.municipality_id")
    url = fields.String()
    hidden = fields.Boolean(attribute="item.item.hidden")
    hidden_reason = fields.String(attribute="item.item.hidden_reason")


class EntryOut(OutSchema):
    """A queue entry (given as `Linked`): the item as `TargetOut` shows it, its open flags counted by reason, and
    the residents' notes."""

    flags = fields.Integer(attribute="item.total")
    counts = fields.Method("_counts")
    notes = fields.List(fields.String(), attribute="item.notes")
    first_flagged_at = UtcTime(attribute="item.first_flagged_at")

    def _counts(self, linked: Linked) -> dict[str, int]:
        return {reason: linked.item.counts.get(reason, 0) for reason in FLAG_REASONS}

    @post_dump(pass_original=True)
    def _with_target(self, data: dict, linked: Linked, **kwargs) -> dict:
        return {**TargetOut(self.viewer).dump(Linked(linked.item.target, linked.url)), **data}
