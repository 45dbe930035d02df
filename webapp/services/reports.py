"""Reporting problems, and finding them by box, by id and near a point."""
from flask_babel import lazy_gettext as _l
from geoalchemy2.shape import from_shape, to_shape
from shapely.geometry import Point
from sqlalchemy import func, select

from geo.dialect import envelope, index_filter
from geo.distance import bbox_around, metres_between
from webapp.errors import NotFound, ValidationFailed
from webapp.extensions import db
from webapp.models import OPEN_STATUSES, Category, Municipality, Report, ReportPhoto, StatusChange, Vote
from webapp.permissions import require
from webapp.services import municipalities, photos
from webapp.services.ballots import Ballots


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


def create(user, data: dict, uploads: list[bytes] = ()) -> Report:
    """File a new report at (lon, lat); the municipality is the one whose boundary holds the point."""
    require(user, "report.create")
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
            geom=from_shape(Point(data["lon"], data["lat"]), srid=4326),
        )
        for position, image in enumerate(images):
            name, width, height = photos.save(image)
            saved.append(name)
            report.photos.append(ReportPhoto(filename=name, width=width, height=height, position=position))
        report.history.append(StatusChange(actor_id=user.id, from_status=None, to_status="submitted"))
        db.session.add(report)
        db.session.commit()
    except Exception:
        db.session.rollback()
        photos.remove(saved)
        raise
    return report


def get(report_id: int) -> Report:
    """The report with this id, or NotFound."""
    report = db.session.get(Report, report_id)
    if report is None:
        raise NotFound()
    return report


def search(query: dict) -> list[tuple[Report, int]]:
    """Reports matching the query (bbox, category, status, municipality, limit), newest first, with votes."""
    bind = db.session.get_bind()
    stmt = select(Report, BALLOTS.count_column().label("votes"))
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


def votes_of(report: Report) -> int:
    """How many votes the report has (the number of vote rows)."""
    return BALLOTS.count(report.id)


def has_voted(user, report: Report) -> bool:
    """True when the signed-in user has voted for the report."""
    return BALLOTS.has(user, report.id)
