"""Reporting problems, and finding them by box, by id and near a point."""
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from geoalchemy2.shape import from_shape, to_shape
from shapely.geometry import Point
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from geo.dialect import envelope, index_filter
from geo.distance import bbox_around, metres_between
from webapp.core.ballots import Ballots
from webapp.core.db import get_or_404
from webapp.errors import ValidationFailed
from webapp.extensions import db
from webapp.models import OPEN_STATUSES, Category, Municipality, Report, ReportPhoto, StatusChange, Vote
from webapp.permissions import can, require
from webapp.places import service as municipalities
from webapp.reports import photos

BALLOTS = Ballots(Vote, Vote.report_id, Report.id)


def category_by_code(code: str) -> Category:
    """The category with this code, or a validation error naming the field."""
    found = db.session.scalars(select(Category).where(Category.code == code)).first()
    if found is None:
        raise ValidationFailed(fields={"category": [_l("Unknown category.")]})
    return found


def all_categories() -> list[Category]:
    """Every category in display order."""
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.id)))


class Filed(NamedTuple):
    """The outcome of sending a report form: the report, and whether this request created it."""

    report: Report
    created: bool


def create(user, data: dict, uploads: list[bytes] = ()) -> Report:
    """File a new report at (lon, lat); the municipality is the one whose boundary holds the point."""
    return file_once(user, data, uploads).report


def file_once(user, data: dict, uploads: list[bytes] = ()) -> Filed:
    """File a report, unless this author already filed one with the same `submission_token`: then return that."""
    require(user, "report.create")
    token = data.get("submission_token") or None
    existing = _by_token(user, token)
    if existing is not None:
        return Filed(existing, False)
    category = category_by_code(data["category"])
    place = municipalities.containing(data["lon"], data["lat"])
    if place is None:
        raise ValidationFailed(
            _l("This place is outside every municipality we serve."),
            fields={"lat": [_l("This place is outside every municipality we serve.")]},
        )
    images = photos.prepare(list(uploads))
    saved = []
    try:
        report = Report(
            municipality=place,
            category=category,
            author_id=user.id,
            title=data["title"].strip(),
            description=data["description"].strip(),
            anonymous=data.get("anonymous", False),
            status="submitted",
            submission_token=token,
            geom=from_shape(Point(data["lon"], data["lat"]), srid=4326),
        )
        for position, image in enumerate(images):
            name, width, height = photos.save(image)
            saved.append(name)
            report.photos.append(ReportPhoto(filename=name, width=width, height=height, position=position))
        report.history.append(StatusChange(actor_id=user.id, from_status=None, to_status="submitted"))
        db.session.add(report)
        db.session.commit()
    except IntegrityError:
        photos.discard(saved)
        db.session.rollback()
        # The same form sent twice at once: the unique (author, token) index let the other request win.
        existing = _by_token(user, token)
        if existing is None:
            raise
        return Filed(existing, False)
    except BaseException:
        # BaseException: a worker stopped mid-request (SystemExit, KeyboardInterrupt) must not leave files either.
        photos.discard(saved)
        db.session.rollback()
        raise
    photos.publish(saved)
    return Filed(report, True)


def _by_token(user, token: str | None) -> Report | None:
    if not token:
        return None
    return db.session.scalars(
        select(Report).where(Report.author_id == user.id, Report.submission_token == token)
    ).first()


def get(report_id: int) -> Report:
    """The report with this id, or NotFound."""
    return get_or_404(Report, report_id)


def search(query: dict) -> list[tuple[Report, int]]:
    """Reports matching the query (bbox, category, status, municipality, limit), newest first, with votes."""
    bind = db.session.get_bind()
    # Reports hidden by moderation leave the map and every list; staff find them in the moderation queue.
    stmt = select(Report, BALLOTS.count_column().label("votes")).where(Report.hidden_at.is_(None))
    if query.get("bbox"):
        frame = envelope(bind, query["bbox"])
        # The index compares float32 boxes rounded outwards; the exact test drops points just outside.
        stmt = stmt.where(index_filter(bind, Report.__table__, frame)).where(
            func.ST_Intersects(Report.geom, frame)
        )
    if query.get("category"):
        stmt = stmt.join(Category, Report.category_id == Category.id).where(Category.code == query["category"])
    if query.get("status") == "open":
        stmt = stmt.where(Report.status.in_(OPEN_STATUSES))
    elif query.get("status"):
        stmt = stmt.where(Report.status == query["status"])
    if query.get("municipality"):
        stmt = stmt.join(Municipality, Report.municipality_id == Municipality.id).where(
            Municipality.code == query["municipality"]
        )
    stmt = stmt.order_by(Report.created_at.desc(), Report.id.desc()).limit(query.get("limit") or 500)
    return [(report, votes) for report, votes in db.session.execute(stmt)]


def nearby_open(lon: float, lat: float, category: str | None, metres: float) -> list[tuple[Report, int, float]]:
    """Open reports within `metres` of the point (optionally of one category), nearest first."""
    bind = db.session.get_bind()
    frame = envelope(bind, bbox_around(lon, lat, metres))
    stmt = (
        select(Report, BALLOTS.count_column().label("votes"))
        .where(index_filter(bind, Report.__table__, frame))
        .where(Report.status.in_(OPEN_STATUSES))
        .where(Report.hidden_at.is_(None))
    )
    if category:
        stmt = stmt.join(Category, Report.category_id == Category.id).where(Category.code == category)
    found = []
    for report, votes in db.session.execute(stmt):
        pt = to_shape(report.geom)
        distance = metres_between(lon, lat, pt.x, pt.y)
        if distance <= metres:
            found.append((report, votes, distance))
    return sorted(found, key=lambda row: row[2])


def photo_servable(user, filename: str) -> bool:
    """True when the photo belongs to a report and that report is not hidden from this viewer."""
    if not photos.is_servable(filename):
        return False
    report = db.session.scalars(
        select(Report).join(ReportPhoto, ReportPhoto.report_id == Report.id).where(ReportPhoto.filename == filename)
    ).first()
    return report is not None and (not report.hidden or can(user, "content.moderate", report))


def votes_of(report: Report) -> int:
    """How many votes the report has (the number of vote rows)."""
    return BALLOTS.count(report.id)


def has_voted(user, report: Report) -> bool:
    """True when the signed-in user has voted for the report."""
    return BALLOTS.has(user, report.id)
