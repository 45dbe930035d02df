"""Moderation input (flags, hiding) and output (the queue; what the public sees of hidden items)."""
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from webapp.core.fields import MESSAGES, BaseSchema, integer, text
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


def flag_json(flag, created: bool) -> dict:
    """A resident's flag as the API returns it."""
    return {"kind": flag.target_kind, "id": flag.target_id, "reason": flag.reason, "note": flag.note,
            "created": created, "resolved": flag.resolved_at is not None}


def target_json(found, url: str) -> dict:
    """A flagged or hidden item for staff: kind, id, municipality, state and where to see it."""
    return {"kind": found.kind, "id": found.id, "municipality_id": found.municipality_id, "url": url,
            "hidden": found.item.hidden, "hidden_reason": found.item.hidden_reason}


def entry_json(entry, url: str) -> dict:
    """A queue entry: the item, its open flags counted by reason, and the residents' notes."""
    return {**target_json(entry.target, url), "flags": entry.total,
            "counts": {reason: entry.counts.get(reason, 0) for reason in FLAG_REASONS},
            "notes": entry.notes, "first_flagged_at": entry.first_flagged_at.isoformat()}


def _hidden_props(item, moderator: bool, props: dict, secret: tuple) -> dict:
    props["hidden"] = item.hidden
    if item.hidden:
        props["hidden_reason"] = item.hidden_reason
        if not moderator:
            props.update({name: None for name in secret if name in props})
    return props


def public_report(feature: dict, report, moderator: bool) -> dict:
    """A report Feature as a viewer sees it (`moderator`: staff of its municipality): a hidden report keeps its
    reason, not its text or photos."""
    props = _hidden_props(report, moderator, feature["properties"], ("title", "description"))
    if report.hidden and not moderator:
        props["photos"] = []
    return feature


def public_proposal(feature: dict, proposal, moderator: bool) -> dict:
    """A proposal Feature as a viewer sees it (`moderator`: staff of its municipality), hidden proposal text and
    hidden comments left out."""
    props = _hidden_props(proposal, moderator, feature["properties"], ("title", "idea", "reason", "cost_estimate"))
    if proposal.hidden and not moderator:
        props["comments"] = []
    for comment, shown in zip(proposal.comments, props.get("comments", [])):
        _hidden_props(comment, moderator, shown, ("body",))
    return feature
