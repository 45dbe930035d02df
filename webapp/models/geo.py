"""Municipalities and their boundaries."""
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models.base import geometry, in_language


class Municipality(db.Model):
    __tablename__ = "municipalities"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100), default="")
    province: Mapped[str] = mapped_column(String(100), default="")
    # Deferred: reports, proposals and plans join their municipality on every load, and a real boundary
    # is kilobytes; only the code paths that need the outline load it (`undefer` or `boundary_of`).
    geom = geometry("MULTIPOLYGON", deferred=True)

    def display_name(self, locale: str) -> str:
        """The name in the given language, falling back to Korean."""
        return in_language(self.name, self.name_en, locale)
