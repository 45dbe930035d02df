"""Output schemas' common ground: the viewer they are told about, their base class and shared shapes.

An output schema never reads the request, the signed-in user or the database: the route builds a
`Viewer` (language, the viewer's permission check, the link builder) with `webapp.core.web.current_viewer`
and hands it over. So a schema is a plain function of what it is given, and a test can give it anything.
"""
from dataclasses import dataclass
from typing import Any, Callable

from marshmallow import Schema, fields, missing

from webapp.core.time import utc_iso


def _nothing_allowed(action: str, target: Any = None) -> bool:
    return False


def _no_links(endpoint: str, **values) -> str:
    raise LookupError(f"this viewer builds no links ({endpoint})")


@dataclass(frozen=True)
class Viewer:
    """Who is looking, as far as output may know it."""

    lang: str = "ko"
    # The viewer's permission check: may(action, target) as in webapp.permissions.can.
    may: Callable[..., bool] = _nothing_allowed
    # Builds a link to an endpoint, as flask.url_for does.
    url: Callable[..., str] = _no_links


class OutSchema(Schema):
    """Base of output schemas: dumped with the viewer it was given (`viewer`), and for nothing else."""

    def __init__(self, viewer: Viewer, **kw):
        super().__init__(**kw)
        self.viewer = viewer


class Part(fields.Nested):
    """A nested schema class; an output schema is given the viewer of the schema it sits in.

    `whole` nests the object itself rather than one of its attributes (a Feature's properties, the
    parameters echoed from a result).
    """

    def __init__(self, nested: type[Schema], whole: bool = False, **kw):
        super().__init__(nested, **kw)
        self.whole = whole

    @property
    def schema(self) -> Schema:
        if self._schema is None:
            viewer = (self.root.viewer,) if issubclass(self.nested, OutSchema) else ()
            self._schema = self.nested(*viewer, many=self.many, only=self.only, exclude=self.exclude)
        return self._schema

    def get_value(self, obj, attr, accessor=None, default=missing):
        return obj if self.whole else super().get_value(obj, attr, accessor, default)


class UtcTime(fields.Field):
    """A stored time as ISO 8601 with its UTC offset (None stays None)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else utc_iso(value)


class VoteOut(Schema):
    """The result of a vote or its withdrawal: the new count and whether the viewer now supports the item."""

    votes = fields.Integer()
    voted = fields.Boolean()


def feature_collection(features: list, **extra) -> dict:
    """A GeoJSON FeatureCollection with extra members (limit, truncated, parameters ...)."""
    return {"type": "FeatureCollection", "features": features, **extra}


def moderated(item, props: dict, moderator: bool, secret: tuple) -> dict:
    """What a viewer sees of an item moderation hid: the reason always, the `secret` texts only as staff."""
    props["hidden"] = item.hidden
    if item.hidden:
        props["hidden_reason"] = item.hidden_reason
        if not moderator:
            props.update({name: None for name in secret if name in props})
    return props


class MunicipalityOut(OutSchema):
    """A municipality: its code and names (the boundary only where a page asks for it, see webapp.places)."""

    code = fields.String()
    name = fields.String()
    name_en = fields.String()
    province = fields.String()
    display_name = fields.Method("_display_name")

    def _display_name(self, municipality) -> str:
        return municipality.display_name(self.viewer.lang)


class CategoryOut(OutSchema):
    """A problem category with its name in the viewer's language and its map colour."""

    code = fields.String()
    name = fields.Method("_name")
    domain = fields.String()
    color = fields.String()

    def _name(self, category) -> str:
        return category.display_name(self.viewer.lang)
