"""Residents' proposals: creating, finding, voting, commenting and answering them."""
from flask_babel import lazy_gettext as _l
from geoalchemy2.shape import from_shape
from shapely.geometry import MultiPoint
from sqlalchemy import and_, exists, func, or_, select

from geo.dialect import envelope, index_filter
from webapp.catalog import service as catalog
from webapp.core import audit
from webapp.core.ballots import Ballots
from webapp.core.db import get_or_404
from webapp.core.time import utcnow
from webapp.errors import Conflict, ValidationFailed
from webapp.extensions import db
from webapp.models import (
    OPEN_STATUSES,
    Municipality,
    Proposal,
    ProposalComment,
    ProposalVote,
    Report,
    Solution,
    proposal_reports,
)
from webapp.permissions import require
from webapp.places import service as municipalities

# Votes count while a proposal is still being considered or has been taken up.
VOTABLE = ("open", "accepted")


BALLOTS = Ballots(ProposalVote, ProposalVote.proposal_id, Proposal.id)


def active_solutions() -> list[Solution]:
    """Catalogue solutions that may be proposed, by domain and name."""
    return list(db.session.scalars(select(Solution).where(Solution.retired.is_(False))
                                   .order_by(Solution.domain, Solution.name)))


def existing_reports(ids: list[int]) -> list[Report]:
    """The reports with these ids that exist, in the order given (to prefill the proposal form)."""
    found = {r.id: r for r in db.session.scalars(select(Report).where(Report.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def _reports(ids: list[int]) -> list[Report]:
    found = {r.id: r for r in db.session.scalars(select(Report).where(Report.id.in_(ids)))}
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationFailed(fields={"reports": [_l("Unknown report: %(ids)s", ids=", ".join(map(str, missing)))]})
    chosen = [found[i] for i in ids]
    closed = [r.id for r in chosen if r.status not in OPEN_STATUSES]
    if closed:
        raise ValidationFailed(
            fields={"reports": [_l("Only open reports can be addressed: %(ids)s", ids=", ".join(map(str, closed)))]}
        )
    if len({r.municipality_id for r in chosen}) > 1:
        raise ValidationFailed(fields={"reports": [_l("All reports must be in one municipality.")]})
    return chosen


def _sites(points, municipality: Municipality):
    if not points:
        return None
    for lon, lat in points:
        place = municipalities.containing(lon, lat)
        if place is None or place.id != municipality.id:
            raise ValidationFailed(
                fields={"sites": [_l("Every site must lie inside %(name)s.", name=municipality.name)]}
            )
    return from_shape(MultiPoint(points), srid=4326)


def create(user, data: dict) -> Proposal:
    """Propose a catalogue solution (or an idea) for open reports of one municipality."""
    require(user, "proposal.create")
    chosen = _reports(data["reports"])
    municipality = chosen[0].municipality
    solution = catalog.active_solution(data.get("solution"))
    sites = _sites(data.get("sites") or [], municipality)
    proposal = Proposal(
        municipality_id=municipality.id,
        author_id=user.id,
        solution=solution,
        # The idea stands in for a catalogue solution; with one chosen it would only confuse.
        idea="" if solution else data["idea"].strip(),
        reason=data["reason"].strip(),
        cost_estimate=data.get("cost_estimate"),
        anonymous=bool(data.get("anonymous")),
        status="open",
        answer_note="",
        sites=sites,
    )
    proposal.reports = chosen
    try:
        db.session.add(proposal)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return proposal


def get(proposal_id: int) -> Proposal:
    """The proposal with this id, or NotFound."""
    return get_or_404(Proposal, proposal_id)


def _in_box(bind, bbox):
    frame = envelope(bind, bbox)
    report_inside = exists(
        select(proposal_reports.c.report_id)
        .join(Report, Report.id == proposal_reports.c.report_id)
        .where(proposal_reports.c.proposal_id == Proposal.id)
        .where(index_filter(bind, Report.__table__, frame))
        .where(func.ST_Intersects(Report.geom, frame))
    )
    site_inside = and_(
        index_filter(bind, Proposal.__table__, frame, column="sites"),
        func.ST_Intersects(Proposal.sites, frame),
    )
    return or_(site_inside, and_(Proposal.sites.is_(None), report_inside))


def search(query: dict) -> list[tuple[Proposal, int]]:
    """Proposals matching the query (bbox, municipality, status, report, limit), most voted first."""
    bind = db.session.get_bind()
    votes = BALLOTS.count_column().label("votes")
    # Proposals hidden by moderation leave the lists and the map.
    stmt = select(Proposal, votes).where(Proposal.hidden_at.is_(None))
    if query.get("bbox"):
        stmt = stmt.where(_in_box(bind, query["bbox"]))
    if query.get("municipality"):
        stmt = stmt.where(
            Proposal.municipality_id.in_(select(Municipality.id).where(Municipality.code == query["municipality"]))
        )
    if query.get("status"):
        stmt = stmt.where(Proposal.status == query["status"])
    if query.get("report"):
        stmt = stmt.where(
            Proposal.id.in_(
                select(proposal_reports.c.proposal_id).where(proposal_reports.c.report_id == query["report"])
            )
        )
    stmt = stmt.order_by(votes.desc(), Proposal.created_at.desc(), Proposal.id.desc()).limit(query.get("limit") or 500)
    return [(proposal, count) for proposal, count in db.session.execute(stmt).unique()]


def for_report(report_id: int) -> list[tuple[Proposal, int]]:
    """Proposals addressing the report, most voted first."""
    return search({"report": report_id})


def candidate_reports(report: Report, metres: float = 500) -> list[Report]:
    """Other open reports of the report's municipality within `metres`, nearest first (to add to a proposal)."""
    from geoalchemy2.shape import to_shape

    from webapp.reports.service import nearby_open

    pt = to_shape(report.geom)
    return [r for r, _votes, _d in nearby_open(pt.x, pt.y, None, metres)
            if r.id != report.id and r.municipality_id == report.municipality_id]


def votes_of(proposal: Proposal) -> int:
    """How many votes the proposal has (the number of vote rows)."""
    return BALLOTS.count(proposal.id)


def has_voted(user, proposal: Proposal) -> bool:
    """True when the signed-in user has voted for the proposal."""
    return BALLOTS.has(user, proposal.id)


def vote(user, proposal_id: int) -> int:
    """Add the user's vote (voting twice counts once); returns the proposal's vote count."""
    proposal = get(proposal_id)
    require(user, "proposal.vote", proposal)
    if proposal.status not in VOTABLE:
        raise Conflict(_l("This proposal no longer takes votes."))
    BALLOTS.cast(user, proposal.id)
    return votes_of(proposal)


def unvote(user, proposal_id: int) -> int:
    """Withdraw the user's vote if there is one; returns the proposal's vote count."""
    proposal = get(proposal_id)
    require(user, "proposal.vote", proposal)
    BALLOTS.withdraw(user, proposal.id)
    return votes_of(proposal)


def add_comment(user, proposal_id: int, body: str) -> ProposalComment:
    """Add a plain-text comment to a proposal."""
    proposal = get(proposal_id)
    require(user, "proposal.comment", proposal)
    comment = ProposalComment(proposal_id=proposal.id, author_id=user.id, body=body.strip())
    db.session.add(comment)
    db.session.commit()
    return comment


def answer(user, proposal_id: int, data: dict) -> Proposal:
    """Staff answer a proposal with a public reason; answering again replaces the answer."""
    proposal = get(proposal_id)
    require(user, "proposal.answer", proposal)
    note = (data.get("note") or "").strip()
    if not note:
        raise ValidationFailed(fields={"note": [_l("Give the public reason for the answer.")]})
    previous = proposal.status
    proposal.status = data["status"]
    proposal.answer_note = note
    proposal.answered_by_id = user.id
    proposal.answered_at = utcnow()
    proposal.touch()
    audit.record(user, "proposal.answer", proposal, to=proposal.status, note=note, **{"from": previous})
    db.session.commit()
    return proposal
