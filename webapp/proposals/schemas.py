"""Proposal input (new proposal, list query, answer, comment) and output (GeoJSON Features, suggestions)."""
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from geoalchemy2.shape import to_shape
from marshmallow import Schema, ValidationError, fields, post_dump, validate, validates_schema

from webapp.core.fields import (
    MESSAGES,
    BaseSchema,
    BBox,
    as_id,
    boolean,
    id_field,
    integer,
    text,
    whole_number,
    word,
)
from webapp.core.labels import proposal_status_label
from webapp.core.output import OutSchema, UtcTime, moderated
from webapp.models import ANSWERS, PROPOSAL_STATUSES, Proposal

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


# --- output -----------------------------------------------------------------------------

# What moderation hides of a proposal, and of a comment, from everyone but staff.
SECRET_PROPOSAL = ("title", "idea", "reason", "cost_estimate")
SECRET_COMMENT = ("body",)


class Counted(NamedTuple):
    """A proposal with what its output cannot read from it: the vote count, and whether the viewer voted."""

    proposal: Proposal
    votes: int
    voted: bool = False


def _points(proposal) -> dict:
    """The proposed sites, else the points of the reports it answers, as a GeoJSON MultiPoint."""
    if proposal.sites is not None:
        points = [(p.x, p.y) for p in to_shape(proposal.sites).geoms]
    else:
        points = [(shape.x, shape.y) for shape in (to_shape(r.geom) for r in proposal.reports)]
    return {"type": "MultiPoint", "coordinates": [[round(x, 7), round(y, 7)] for x, y in points]}


class ProposalOut(OutSchema):
    """A proposal (given as `Counted`) as the GeoJSON Feature of lists and the map."""

    id = fields.Integer(attribute="proposal.id")
    title = fields.Method("_title")
    solution = fields.Method("_solution")
    status = fields.String(attribute="proposal.status")
    status_name = fields.Method("_status_name")
    municipality = fields.String(attribute="proposal.municipality.code")
    votes = fields.Integer()
    voted = fields.Boolean()
    reports = fields.Method("_reports")
    has_sites = fields.Method("_has_sites")
    created_at = UtcTime(attribute="proposal.created_at")
    url = fields.Method("_url")

    def _title(self, row: Counted) -> str:
        return row.proposal.display_title(self.viewer.lang)

    def _solution(self, row: Counted) -> str | None:
        return row.proposal.solution.code if row.proposal.solution else None

    def _status_name(self, row: Counted) -> str:
        return proposal_status_label(row.proposal.status)

    def _reports(self, row: Counted) -> list[int]:
        return [r.id for r in row.proposal.reports]

    def _has_sites(self, row: Counted) -> bool:
        return row.proposal.sites is not None

    def _url(self, row: Counted) -> str:
        return self.viewer.url("proposals.show", proposal_id=row.proposal.id)

    @post_dump(pass_original=True)
    def _feature(self, props: dict, row: Counted, **kwargs) -> dict:
        return {"type": "Feature", "id": row.proposal.id, "geometry": _points(row.proposal),
                "properties": self._shown(row.proposal, props)}

    def _shown(self, proposal, props: dict) -> dict:
        # Lists and the map leave out what moderation hid.
        return props


class ProposalCommentOut(Schema):
    """A comment under a proposal (what moderation hid is taken out by the proposal's schema)."""

    author = fields.String(attribute="author.display_name")
    body = fields.String()
    at = UtcTime(attribute="created_at")


class ProposalDetailOut(ProposalOut):
    """A proposal's own Feature: its text, answer and comments; the author's name only where the viewer may see
    it; of what moderation hid, the reason and (for its staff) the text."""

    idea = fields.String(attribute="proposal.idea")
    reason = fields.String(attribute="proposal.reason")
    cost_estimate = fields.Integer(attribute="proposal.cost_estimate")
    author = fields.Method("_author")
    answer = fields.Method("_answer")
    answered_at = UtcTime(attribute="proposal.answered_at")
    comments = fields.Method("_comments")

    def _moderator(self, proposal) -> bool:
        return self.viewer.may("content.moderate", proposal)

    def _author(self, row: Counted) -> str | None:
        proposal = row.proposal
        return proposal.author.display_name if self.viewer.may("proposal.see_author", proposal) else None

    def _answer(self, row: Counted) -> str | None:
        return row.proposal.answer_note or None

    def _comments(self, row: Counted) -> list[dict]:
        proposal, moderator = row.proposal, self._moderator(row.proposal)
        if proposal.hidden and not moderator:
            return []
        shown = ProposalCommentOut().dump(proposal.comments, many=True)
        return [moderated(c, props, moderator, SECRET_COMMENT) for c, props in zip(proposal.comments, shown)]

    def _shown(self, proposal, props: dict) -> dict:
        return moderated(proposal, props, self._moderator(proposal), SECRET_PROPOSAL)


class SuggestionOut(OutSchema):
    """A catalogue solution suggested for a report, with why and the link proposing it for that report."""

    solution = fields.String(attribute="solution.code")
    solution_id = fields.Integer(attribute="solution.id")
    name = fields.Method("_name")
    domain = fields.String(attribute="solution.domain")
    score = fields.Integer()
    reasons = fields.List(fields.String())
    propose_url = fields.Method("_propose_url")

    def __init__(self, viewer, report_id: int, **kw):
        super().__init__(viewer, **kw)
        self.report_id = report_id

    def _name(self, suggestion) -> str:
        return suggestion.solution.display_name(self.viewer.lang)

    def _propose_url(self, suggestion) -> str:
        return self.viewer.url("proposals.new", report=self.report_id, solution=suggestion.solution.id)
