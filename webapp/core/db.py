"""Database helpers every area uses: one way to fetch a row or answer 404."""
from sqlalchemy import Select

from webapp.errors import NotFound
from webapp.extensions import db


def get_or_404(model, ident):
    """The row of `model` with this primary key, or NotFound."""
    found = db.session.get(model, ident)
    if found is None:
        raise NotFound()
    return found


def first_or_404(query: Select):
    """The first row the query selects, or NotFound."""
    found = db.session.scalars(query).first()
    if found is None:
        raise NotFound()
    return found
