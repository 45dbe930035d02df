"""Finding municipalities by code or by a point inside them."""
from sqlalchemy import func, select

from geo.dialect import index_filter, point
from webapp.errors import NotFound
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


def by_code(code: str) -> Municipality:
    """The municipality with this code, or NotFound."""
    found = db.session.scalars(select(Municipality).where(Municipality.code == code)).first()
    if found is None:
        raise NotFound()
    return found


def all_municipalities() -> list[Municipality]:
    """Every municipality, by code."""
    return list(db.session.scalars(select(Municipality).order_by(Municipality.code)))
