"""Municipality queries (the point to look up) and the outline a municipality page needs."""
from geoalchemy2.shape import to_shape
from marshmallow import fields
from shapely.geometry import mapping

from webapp.core.fields import BaseSchema, latitude, longitude
from webapp.core.output import MunicipalityOut

# Outlines are simplified for the browser (about 50 m): enough to draw, far lighter than the stored shape.
OUTLINE_TOLERANCE = 0.0005


class PointQuery(BaseSchema):
    lat = latitude()
    lon = longitude()


class MunicipalityOutlineOut(MunicipalityOut):
    """A municipality with its bounding box and simplified outline (the row must have its boundary loaded)."""

    bbox = fields.Method("_bbox")
    boundary = fields.Method("_boundary")

    def _bbox(self, municipality) -> list:
        return list(to_shape(municipality.geom).bounds)

    def _boundary(self, municipality) -> dict:
        return mapping(to_shape(municipality.geom).simplify(OUTLINE_TOLERANCE, preserve_topology=True))
