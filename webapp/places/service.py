"""Finding municipalities by code or by a point inside them."""
from geoalchemy2.shape import to_shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import func, select
from sqlalchemy.orm import undefer

from geo.dialect import index_filter, point
from webapp.core.db import first_or_404
from webapp.extensions import db
from webapp.models import Municipality


def containing(lon: float, lat: float) -> Municipality | None:
    """The municipality whose boundary contains the point, or None (lowest code on a shared edge)."""
    bind = db.session.get_bind()
    pt = point(bind, lon, lat)
    query = (
        select(Municipality)
        .where(index_filter(bind, Municipality.__table__, pt))
        .where(func.ST_Intersects(Municipality.geom, pt))
        .order_by(Municipality.code)
        .limit(1)
    )
    return db.session.scalars(query).first()


def by_code(code: str, with_boundary: bool = False) -> Municipality:
    """The municipality with this code, or NotFound; `with_boundary` loads its outline in the same query."""
    query = select(Municipality).where(Municipality.code == code)
    if with_boundary:
        query = query.options(undefer(Municipality.geom))
    return first_or_404(query)


def all_municipalities() -> list[Municipality]:
    """Every municipality, by code."""
    return list(db.session.scalars(select(Municipality).order_by(Municipality.code)))


def boundary_of(municipality: Municipality) -> BaseGeometry:
    """The municipality's outline as a shape, read on its own: the column is not loaded with the row."""
    geom = db.session.scalar(select(Municipality.geom).where(Municipality.id == municipality.id))
    return to_shape(geom)
