"""Proposal input (new proposal, list query, answer, comment) and GeoJSON output."""
from flask import url_for
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate, validates_schema

from webapp.core.fields import MESSAGES, BaseSchema, as_id, boolean, id_field, integer, text, whole_number, word
from webapp.core.i18n import current_language
from webapp.core.labels import proposal_status_label
from webapp.core.time import utc_iso
from webapp.models import ANSWERS, PROPOSAL_STATUSES
from webapp.reports.schemas import BBox

MAX_REPORTS = 20
MAX_SITES = 10
COST_MAX = 100_000_000_000
IDEA_MAX = 200
REASON_MAX = 5000
NOTE_MAX = 2000
COMMENT_MAX = 2000


class ReportIds(fields.Field):
    """One report id or a list of them (forms send repeated fields), de-duplicated in order."""

    def _deserialize(self, value, attr, data, **kwargs):
        values = value if isinstance(value, (list, tuple)) else [value]
        ids = []
        for v in values:
            number = as_id(v)
            if number is None:
                raise ValidationError(_l("Give report numbers."))
            if number not in ids:
                ids.append(number)
        if not 1 <= len(ids) <= MAX_REPORTS:
            raise ValidationError(_l("Choose between 1 and %(max)d reports.", max=MAX_REPORTS))
        return ids


class Sites(fields.Field):
    """Points as [[lon, lat], ...] (JSON) or "lon,lat; lon,lat" (a form's text field)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = [part.split(",") for part in value.replace("\n", ";").split(";") if part.strip()]
        if not isinstance(value, (list, tuple)):
            raise ValidationError(_l("Give the sites as longitude,latitude pairs."))
        points = []
        for pair in value:
            try:
                lon, lat = (float(str(c).strip()) for c in pair)
            except (TypeError, ValueError):
                raise ValidationError(_l("Give the sites as longitude,latitude pairs.")) from None
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                raise ValidationError(_l("Site coordinates are out of range."))
            points.append((lon, lat))
        if len(points) > MAX_SITES:
            raise ValidationError(_l("Mark at most %(max)d sites.", max=MAX_SITES))
        return points


class Krw(fields.Integer):
    """A whole amount of won: an integer or a string of digits; never a fraction or a yes/no."""

    def _deserialize(self, value, attr, data, **kwargs):
        number = whole_number(value)
        if number is None:
            raise self.make_error("invalid")
        return super()._deserialize(number, attr, data, **kwargs)


class ProposalIn(BaseSchema):
    reports = ReportIds(required=True, error_messages=MESSAGES)
    solution = id_field(required=False, load_default=None, allow_none=True)
    idea = text(IDEA_MAX, required=False, load_default="")
    reason = text(REASON_MAX, multiline=True)
    cost_estimate = Krw(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=0, max=COST_MAX, error=_l("Must be between {min} and {max}.")),
        error_messages={**MESSAGES, "invalid": _l("Give a whole number of won.")},
    )
    sites = Sites(load_default=list, error_messages=MESSAGES)
    anonymous = boolean()

    # Run even when other fields failed, so the form names every missing piece at once.
    @validates_schema(skip_on_field_errors=False)
    def _solution_or_idea(self, data, **kwargs):
        if data.get("solution") is None and not data.get("idea"):
            raise ValidationError(_l("Choose a catalogue solution or describe your own idea."), "idea")


class ProposalQuery(BaseSchema):
    bbox = BBox(load_default=None, error_messages=MESSAGES)
    municipality = word()
    status = fields.String(
        load_default=None,
        validate=validate.OneOf(PROPOSAL_STATUSES, error=_l("Unknown status.")),
    )
    report = id_field(required=False, load_default=None)
    limit = integer(
        required=False,
        load_default=500,
        validate=validate.Range(min=1, max=1000, error=_l("Must be between {min} and {max}.")),
    )


class AnswerIn(BaseSchema):
    status = fields.String(
        required=True,
        validate=validate.OneOf(ANSWERS, error=_l("Unknown answer.")),
        error_messages=MESSAGES,
    )
    note = text(NOTE_MAX, multiline=True)


class ProposalCommentIn(BaseSchema):
    body = text(COMMENT_MAX, multiline=True)


class ProposalFeatures:
    """Writes proposals as GeoJSON Features for the current request."""

    def __init__(self):
        from flask_login import current_user

        self.user = current_user
        self.lang = current_language()
        self.status_names = {s: proposal_status_label(s) for s in PROPOSAL_STATUSES}
        sample = url_for("proposals.show", proposal_id=1)
        self.url_prefix = sample[:-1]

    def __call__(self, proposal, votes: int, voted: bool = False, detail: bool = False) -> dict:
        from geoalchemy2.shape import to_shape

        if proposal.sites is not None:
            points = [(p.x, p.y) for p in to_shape(proposal.sites).geoms]
        else:
            points = [(to_shape(r.geom).x, to_shape(r.geom).y) for r in proposal.reports]
        props = {
            "id": proposal.id,
            "title": proposal.display_title(self.lang),
            "solution": proposal.solution.code if proposal.solution else None,
            "status": proposal.status,
            "status_name": self.status_names[proposal.status],
            "municipality": proposal.municipality.code,
            "votes": votes,
            "voted": voted,
            "reports": [r.id for r in proposal.reports],
            "has_sites": proposal.sites is not None,
            "created_at": utc_iso(proposal.created_at),
            "url": f"{self.url_prefix}{proposal.id}",
        }
        if detail:
            props.update(self._details(proposal))
        return {
            "type": "Feature",
            "id": proposal.id,
            "geometry": {"type": "MultiPoint", "coordinates": [[round(x, 7), round(y, 7)] for x, y in points]},
            "properties": props,
        }

    def _details(self, proposal) -> dict:
        from webapp.permissions import can

        return {
            "idea": proposal.idea,
            "reason": proposal.reason,
            "cost_estimate": proposal.cost_estimate,
            "author": proposal.author.display_name if can(self.user, "proposal.see_author", proposal) else None,
            "answer": proposal.answer_note or None,
            "answered_at": utc_iso(proposal.answered_at) if proposal.answered_at else None,
            "comments": [
                {"author": c.author.display_name, "body": c.body, "at": utc_iso(c.created_at)}
                for c in proposal.comments
            ],
        }
