"""Importing municipal boundaries: check every record first, then upsert them all in one transaction."""
from collections.abc import Iterable
from dataclasses import dataclass, field

import shapely
from geoalchemy2.shape import from_shape, to_shape
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import undefer

from geo.boundaries import BoundaryRecord
from webapp.errors import AppError, ValidationFailed
from webapp.extensions import db
from webapp.models import Municipality

# Differences below this (degrees, about 0.1 mm) are storage round-off, not a new boundary.
SAME_GEOMETRY_TOLERANCE = 1e-9


@dataclass
class ImportSummary:
    """What an import did: codes inserted, updated, repaired (with notes) and skipped (with reasons)."""

    inserted: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    repaired: dict[str, tuple[str, ...]] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)


def import_boundaries(records: Iterable[BoundaryRecord]) -> ImportSummary:
    """Insert new municipalities and update existing ones (matched on code), all or nothing."""
    # Reading the whole iterable first means a bad feature anywhere stops us before any write.
    records = list(records)
    for record in records:
        _check_lengths(record)
    summary = ImportSummary(repaired={r.code: r.repairs for r in records if r.repaired})
    try:
        # Every stored outline is compared with the file's: load them with the rows, not one query each.
        existing = {m.code: m for m in db.session.scalars(select(Municipality).options(undefer(Municipality.geom)))}
        for record in records:
            current = existing.get(record.code)
            if current is None:
                db.session.add(_new(record))
                summary.inserted.append(record.code)
            elif _unchanged(current, record):
                summary.skipped[record.code] = "unchanged"
            else:
                _update(current, record)
                summary.updated.append(record.code)
        db.session.commit()
    except SQLAlchemyError as err:
        db.session.rollback()
        # The full SQLAlchemy message repeats the statement and its geometry blobs; the driver's is enough.
        reason = getattr(err, "orig", None) or err
        raise AppError(f"the database refused the import ({type(err).__name__}: {reason})") from err
    except BaseException:
        db.session.rollback()
        raise
    return summary


def _check_lengths(record: BoundaryRecord) -> None:
    # Checked against the columns up front: a clear message, rather than a database error mid-transaction.
    for name in ("code", "name", "name_en", "province"):
        value, limit = getattr(record, name), Municipality.__table__.c[name].type.length
        if len(value) > limit:
            raise ValidationFailed(
                f"feature {record.number} (code {record.code!r}): "
                f"{name} {value!r} is longer than {limit} characters"
            )


def _new(record: BoundaryRecord) -> Municipality:
    return Municipality(
        code=record.code,
        name=record.name,
        name_en=record.name_en,
        province=record.province,
        geom=from_shape(record.geometry, srid=4326),
    )


def _update(municipality: Municipality, record: BoundaryRecord) -> None:
    municipality.name = record.name
    municipality.name_en = record.name_en
    municipality.province = record.province
    municipality.geom = from_shape(record.geometry, srid=4326)


def _unchanged(municipality: Municipality, record: BoundaryRecord) -> bool:
    if (municipality.name, municipality.name_en, municipality.province) != (
        record.name, record.name_en, record.province,
    ):
        return False
    stored = to_shape(municipality.geom)
    return shapely.equals_exact(
        shapely.normalize(stored), shapely.normalize(record.geometry), tolerance=SAME_GEOMETRY_TOLERANCE
    )
