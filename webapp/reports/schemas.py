"""Report input (new report, list query, triage) and GeoJSON output."""

from flask import url_for
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate, validates_schema

from webapp.core.fields import MESSAGES, BaseSchema, boolean, id_field, integer, latitude, longitude, text, word
from webapp.core.i18n import current_language
from webapp.core.labels import status_label
from webapp.core.time import utc_iso
from webapp.models import CLOSE_REASONS, STATUSES

TITLE_MAX = 120
DESCRIPTION_MAX = 5000
COMMENT_MAX = 2000
NOTE_MAX = 2000


class BBox(fields.Field):
    """`minlon,minlat,maxlon,maxlat` as a tuple of four floats."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            parts = [float(p) for p in str(value).split(",")]
        except ValueError:
            parts = []
        if len(parts) != 4 or any(p != p for p in parts):
            raise ValidationError(_l("Give the box as minlon,minlat,maxlon,maxlat."))
        minx, miny, maxx, maxy = parts
        if not (-180 <= minx <= 180 and -180 <= maxx <= 180 and -90 <= miny <= 90 and -90 <= maxy <= 90):
            raise ValidationError(_l("Box coordinates are out of range."))
        if minx >= maxx or miny >= maxy:
            raise ValidationError(_l("The box minimum must be smaller than its maximum."))
        return tuple(parts)


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


class ReportFeatures:
    """Writes reports as GeoJSON Features for the current request.

    Everything that is the same for every row (language, status labels, the URL pattern,
    category and municipality names) is worked out once, so a map full of reports stays cheap.
    """

    def __init__(self):
        from flask_login import current_user

        self.user = current_user
        self.lang = current_language()
        self.status_names = {status: status_label(status) for status in STATUSES}
        sample = url_for("reports.show", report_id=1)
        assert sample.endswith("/1"), sample
        self.url_prefix = sample[:-1]
        self._names = {}

    def _name(self, thing) -> str:
        key = (type(thing), thing.id)
        if key not in self._names:
            self._names[key] = thing.display_name(self.lang)
        return self._names[key]

    def __call__(self, report, votes: int, voted: bool = False, detail: bool = False) -> dict:
        from geoalchemy2.shape import to_shape

        pt = to_shape(report.geom)
        props = {
            "id": report.id,
            "title": report.title,
            "category": report.category.code,
            "category_name": self._name(report.category),
            "color": report.category.color,
            "status": report.status,
            "status_name": self.status_names[report.status],
            "municipality": report.municipality.code,
            "municipality_name": self._name(report.municipality),
            "votes": votes,
            "voted": voted,
            "created_at": utc_iso(report.created_at),
            "url": f"{self.url_prefix}{report.id}",
        }
        if detail:
            props.update(self._details(report))
        return {
            "type": "Feature",
            "id": report.id,
            "geometry": {"type": "Point", "coordinates": [round(pt.x, 7), round(pt.y, 7)]},
            "properties": props,
        }

    def _details(self, report) -> dict:
        from webapp.permissions import can

        return {
            "description": report.description,
            "close_reason": report.close_reason,
            "author": report.author.display_name if can(self.user, "report.see_author", report) else None,
            "photos": [url_for("reports.photo", filename=p.filename) for p in report.photos],
            "history": [
                {
                    "from": h.from_status,
                    "to": h.to_status,
                    "close_reason": h.close_reason,
                    "note": h.note,
                    "at": utc_iso(h.created_at),
                }
                for h in report.history
            ],
        }
