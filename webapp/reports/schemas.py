"""Report input (new report, list query, triage) and GeoJSON output."""

from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from geoalchemy2.shape import to_shape
from marshmallow import Schema, ValidationError, fields, post_dump, validate, validates_schema

from webapp.core.fields import MESSAGES, BaseSchema, BBox, boolean, id_field, integer, latitude, longitude, text, word
from webapp.core.labels import status_label
from webapp.core.output import OutSchema, moderated
from webapp.core.time import utc_iso
from webapp.models import CLOSE_REASONS, STATUSES

TITLE_MAX = 120
DESCRIPTION_MAX = 5000
COMMENT_MAX = 2000
NOTE_MAX = 2000


class ReportIn(BaseSchema):
    lat = latitude()
    lon = longitude()
    category = text(40)
    title = text(TITLE_MAX)
    description = text(DESCRIPTION_MAX, multiline=True)
    anonymous = boolean()
    # One-time token of the form (or API client): the same token again finds the report it filed.
    submission_token = text(64, required=False, load_default=None)


class ReportQuery(BaseSchema):
    bbox = BBox(load_default=None, error_messages=MESSAGES)
    category = word()
    status = fields.String(
        load_default=None,
        validate=validate.OneOf(STATUSES + ("open",), error=_l("Unknown status.")),
    )
    municipality = word()
    limit = integer(
        required=False,
        load_default=500,
        validate=validate.Range(min=1, max=1000, error=_l("Must be between {min} and {max}.")),
    )


class NearbyQuery(BaseSchema):
    lat = latitude()
    lon = longitude()
    category = word()


class StatusIn(BaseSchema):
    status = fields.String(
        required=True,
        validate=validate.OneOf(STATUSES, error=_l("Unknown status.")),
        error_messages=MESSAGES,
    )
    close_reason = fields.String(
        load_default=None,
        validate=validate.OneOf(CLOSE_REASONS, error=_l("Unknown reason.")),
    )
    duplicate_of = id_field(required=False, load_default=None, allow_none=True)
    note = text(NOTE_MAX, required=False, load_default="", multiline=True)

    @validates_schema
    def _closing_needs_reason(self, data, **kwargs):
        if data["status"] == "closed" and not data.get("close_reason"):
            raise ValidationError(_l("Say why the report is closed."), "close_reason")
        if data.get("close_reason") == "duplicate" and not data.get("duplicate_of"):
            raise ValidationError(_l("Give the number of the report this one repeats."), "duplicate_of")


class CommentIn(BaseSchema):
    body = text(COMMENT_MAX, multiline=True)


class NoteIn(BaseSchema):
    note = text(NOTE_MAX, multiline=True)


class ReportRow(NamedTuple):
    """A report with what a query found out about it: its support, whether the viewer supports it, its distance."""

    report: object
    votes: int = 0
    voted: bool = False
    distance_m: float | None = None


class ReportOut(OutSchema):
    """A report as a GeoJSON Feature, dumped from a `ReportRow`; `detail` adds the text, photos and history.

    In detail, the author is shown where the viewer may see it, and the text and photos of a report that
    moderation hid only to its staff; everyone gets the reason.
    """

    type = fields.Constant("Feature")
    id = fields.Function(lambda row: row.report.id)
    geometry = fields.Method("_geometry")
    properties = fields.Method("_properties")

    def __init__(self, viewer, detail: bool = False, **kw):
        super().__init__(viewer, **kw)
        self.detail = detail
        self._status_names = {}

    def _geometry(self, row) -> dict:
        pt = to_shape(row.report.geom)
        return {"type": "Point", "coordinates": [round(pt.x, 7), round(pt.y, 7)]}

    def _status_name(self, status: str) -> str:
        if status not in self._status_names:
            self._status_names[status] = str(status_label(status))
        return self._status_names[status]

    def _properties(self, row) -> dict:
        report, lang = row.report, self.viewer.lang
        props = {
            "id": report.id,
            "title": report.title,
            "category": report.category.code,
            "category_name": report.category.display_name(lang),
            "color": report.category.color,
            "status": report.status,
            "status_name": self._status_name(report.status),
            "municipality": report.municipality.code,
            "municipality_name": report.municipality.display_name(lang),
            "votes": row.votes,
            "voted": row.voted,
            "created_at": utc_iso(report.created_at),
            "url": self.viewer.url("reports.show", report_id=report.id),
        }
        if row.distance_m is not None:
            props["distance_m"] = round(row.distance_m, 1)
        if self.detail:
            self._add_details(report, props)
        return props

    def _add_details(self, report, props: dict) -> None:
        may = self.viewer.may
        props.update({
            "description": report.description,
            "close_reason": report.close_reason,
            "author": report.author.display_name if may("report.see_author", report) else None,
            "photos": [self.viewer.url("reports.photo", filename=p.filename) for p in report.photos],
            "history": [
                {"from": h.from_status, "to": h.to_status, "close_reason": h.close_reason, "note": h.note,
                 "at": utc_iso(h.created_at)}
                for h in report.history
            ],
        })
        moderator = may("content.moderate", report)
        moderated(report, props, moderator, ("title", "description"))
        if report.hidden and not moderator:
            props["photos"] = []


class PhotoLocationOut(Schema):
    """Where a photo says it was taken, dumped from a (lat, lon) pair or None: `found` false without a position."""

    found = fields.Function(lambda position: position is not None)
    lat = fields.Function(lambda position: position and position[0])
    lon = fields.Function(lambda position: position and position[1])

    @post_dump(pass_original=True)
    def _only_found(self, data, position, **kwargs):
        return data if position is not None else {"found": False}
