"""A call's panel: evaluators assigned by admins, the ties they declare, their recusals, and who is excluded.

Automatic exclusions (제척: a planner or consultant grant for the plan's municipality, or a declared tie to it) are
computed whenever they are asked for, so they follow grants and ties as these change; recusals (회피) are stored.
"""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from webapp import permissions
from webapp.core import audit
from webapp.core.db import first_or_404, get_or_404
from webapp.errors import Conflict, NotFound, ValidationFailed
from webapp.extensions import db
from webapp.models import (
    Call,
    EvaluatorAssignment,
    EvaluatorExclusion,
    EvaluatorTie,
    Municipality,
    Plan,
    PlanVersion,
    User,
)
from webapp.permissions import Seat, exclusion_reason, require


@dataclass(frozen=True)
class Standing:
    """An evaluator and one submitted plan: the exclusion reason code (None: may score) and its particulars."""

    plan: Plan
    reason: str | None
    detail: str | None


@dataclass(frozen=True)
class Member:
    """An evaluator on a call's panel, with their standing for every submitted plan of the call."""

    assignment: EvaluatorAssignment
    evaluator: bool  # still holds the evaluator role
    plans: list[Standing]


@dataclass(frozen=True)
class Panel:
    call_id: int
    members: list[Member]


def seat(user, plan) -> Seat:
    """What the stored rows say about `user` and `plan`: assigned to its call, tied to its place, recused from it."""
    assigned, tied, recused = db.session.execute(select(
        exists().where(EvaluatorAssignment.call_id == plan.call_id, EvaluatorAssignment.user_id == user.id),
        exists().where(EvaluatorTie.user_id == user.id, EvaluatorTie.municipality_id == plan.municipality_id),
        exists().where(EvaluatorExclusion.plan_id == plan.id, EvaluatorExclusion.user_id == user.id,
                       EvaluatorExclusion.kind == "recusal"),
    )).one()
    return Seat(assigned=bool(assigned), tied=bool(tied), recused=bool(recused))


# The permission rules read seats through this (webapp.permissions imports no area).
permissions.provide_seats(seat)


def excluded(user, plan) -> str | None:
    """Why `user` may not score `plan` (a code of permissions.EXCLUSION_REASONS), or None when nothing excludes."""
    facts = seat(user, plan)
    return exclusion_reason(user, plan.municipality_id, tied=facts.tied, recused=facts.recused)


def _commit(conflict) -> None:
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(conflict) from None


def assign(user, call_id: int, data: dict) -> EvaluatorAssignment:
    """Put the user `data["user"]`, who must hold the evaluator role, on the call's panel (admins)."""
    require(user, "evaluation.manage")
    call = get_or_404(Call, call_id)
    chosen = db.session.get(User, data["user"])
    if chosen is None:
        raise ValidationFailed(fields={"user": [_l("There is no such user.")]})
    if not chosen.has_role("evaluator") or not chosen.active:
        raise ValidationFailed(fields={"user": [_l("Only active users with the evaluator role can be assigned.")]})
    already = _l("This evaluator is already assigned to this call.")
    if db.session.scalar(select(EvaluatorAssignment.id).where(
            EvaluatorAssignment.call_id == call.id, EvaluatorAssignment.user_id == chosen.id)):
        raise Conflict(already)
    assignment = EvaluatorAssignment(call_id=call.id, user_id=chosen.id, assigned_by_id=user.id)
    db.session.add(assignment)
    db.session.flush()
    audit.record(user, "evaluation.assign", assignment, call=call.id, user=chosen.id)
    _commit(already)
    return assignment


def unassign(user, call_id: int, user_id: int) -> None:
    """Take the user off the call's panel (admins); their recusals stay on record."""
    require(user, "evaluation.manage")
    assignment = first_or_404(select(EvaluatorAssignment).where(
        EvaluatorAssignment.call_id == call_id, EvaluatorAssignment.user_id == user_id))
    audit.record(user, "evaluation.unassign", assignment, call=call_id, user=user_id)
    db.session.delete(assignment)
    db.session.commit()


def panel(user, call_id: int) -> Panel:
    """The call's evaluators and, for each submitted plan of the call, whether and why they are excluded (admins)."""
    require(user, "evaluation.manage")
    call = get_or_404(Call, call_id)
    assignments = list(db.session.scalars(select(EvaluatorAssignment).where(EvaluatorAssignment.call_id == call.id)
                                          .order_by(EvaluatorAssignment.assigned_at, EvaluatorAssignment.id)))
    plans = list(db.session.scalars(select(Plan).where(
        Plan.call_id == call.id, exists().where(PlanVersion.plan_id == Plan.id)).order_by(Plan.id)))
    users = [a.user_id for a in assignments]
    ties: dict[tuple[int, int], str] = {}
    for tie in db.session.scalars(select(EvaluatorTie).where(EvaluatorTie.user_id.in_(users))
                                  .order_by(EvaluatorTie.id)):
        ties.setdefault((tie.user_id, tie.municipality_id), tie.kind)
    recusals = {(r.user_id, r.plan_id): r.reason for r in db.session.scalars(select(EvaluatorExclusion).where(
        EvaluatorExclusion.call_id == call.id, EvaluatorExclusion.kind == "recusal"))}
    members = []
    for assignment in assignments:
        evaluator = assignment.user
        standings = []
        for plan in plans:
            tie = ties.get((evaluator.id, plan.municipality_id))
            recusal = recusals.get((evaluator.id, plan.id))
            reason = exclusion_reason(evaluator, plan.municipality_id, tied=tie is not None,
                                      recused=recusal is not None)
            standings.append(Standing(plan, reason, {"tie": tie, "recusal": recusal}.get(reason)))
        members.append(Member(assignment, evaluator.has_role("evaluator"), standings))
    return Panel(call.id, members)


def my_ties(user) -> list[EvaluatorTie]:
    """The ties the evaluator declared, oldest first."""
    require(user, "evaluation.ties")
    return list(db.session.scalars(select(EvaluatorTie).where(EvaluatorTie.user_id == user.id)
                                   .order_by(EvaluatorTie.id)))


def declare_tie(user, data: dict) -> EvaluatorTie:
    """Record the evaluator's tie (kind, note) to the municipality with code `data["municipality"]`."""
    require(user, "evaluation.ties")
    place = db.session.scalars(select(Municipality).where(Municipality.code == data["municipality"])).first()
    if place is None:
        raise ValidationFailed(fields={"municipality": [_l("Unknown municipality.")]})
    twice = _l("You already declared this tie.")
    if db.session.scalar(select(EvaluatorTie.id).where(EvaluatorTie.user_id == user.id,
                                                      EvaluatorTie.municipality_id == place.id,
                                                      EvaluatorTie.kind == data["kind"])):
        raise Conflict(twice)
    tie = EvaluatorTie(user_id=user.id, municipality_id=place.id, kind=data["kind"], note=data["note"])
    db.session.add(tie)
    db.session.flush()
    audit.record(user, "evaluation.tie_declare", tie, municipality=place.code, kind=tie.kind)
    _commit(twice)
    return tie


def withdraw_tie(user, tie_id: int) -> None:
    """Withdraw one of the evaluator's own ties (someone else's is not found)."""
    require(user, "evaluation.ties")
    tie = db.session.get(EvaluatorTie, tie_id)
    if tie is None or tie.user_id != user.id:
        raise NotFound()
    require(user, "evaluation.ties", tie)
    audit.record(user, "evaluation.tie_withdraw", tie, municipality=tie.municipality.code, kind=tie.kind)
    db.session.delete(tie)
    db.session.commit()


def recuse(user, call_id: int, plan_id: int, data: dict) -> EvaluatorExclusion:
    """Record that the evaluator, on the call's panel, recuses themselves from the plan (회피), with a reason."""
    plan = db.session.get(Plan, plan_id)
    if plan is None or plan.call_id != call_id:
        raise NotFound()
    require(user, "evaluation.recuse", plan)
    twice = _l("You have already recused yourself from this plan.")
    if seat(user, plan).recused:
        raise Conflict(twice)
    recusal = EvaluatorExclusion(call_id=plan.call_id, plan_id=plan.id, user_id=user.id, kind="recusal",
                                 reason=data["reason"])
    db.session.add(recusal)
    db.session.flush()
    audit.record(user, "evaluation.recuse", recusal, call=plan.call_id, plan=plan.id, reason=recusal.reason)
    _commit(twice)
    return recusal
