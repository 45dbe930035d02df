"""The one place that says who may do what. Anything no rule allows is denied."""
from webapp.errors import Forbidden, Unauthorized


def _signed_in(user, _obj=None) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _admin(user, _obj=None) -> bool:
    return _signed_in(user) and user.has_role("admin")


def _staff_of(user, municipality_id) -> bool:
    # has_role(role, None) means "anywhere": without a municipality only admins are staff.
    if _admin(user):
        return True
    return municipality_id is not None and _signed_in(user) and user.has_role("planner", municipality_id)


def _take_part(user, item=None) -> bool:
    """Signed-in users vote for and comment on items, unless moderation has hidden the item."""
    return _signed_in(user) and not getattr(item, "hidden", False)


def _triage(user, report) -> bool:
    return report is not None and _staff_of(user, report.municipality_id)


def _reopen(user, report) -> bool:
    if report is None or report.status != "resolved":
        return False
    return _signed_in(user) and (report.author_id == user.id or _triage(user, report))


def _see_author(user, item) -> bool:
    """A hidden name (report or proposal) is shown only to its author and to staff of its municipality."""
    if item is None:
        return False
    if not item.anonymous:
        return True
    return _staff_of(user, item.municipality_id) or (_signed_in(user) and user.id == item.author_id)


def _answer_proposal(user, proposal) -> bool:
    return proposal is not None and _staff_of(user, proposal.municipality_id)


def _view_analytics(user, municipality) -> bool:
    return municipality is not None and _staff_of(user, municipality.id)


def _analyst(user, _obj=None) -> bool:
    """Someone who may analyse at least one municipality (shown the analytics menu)."""
    return _admin(user) or (_signed_in(user) and user.has_role("planner"))


def _consultant_of(user, municipality_id) -> bool:
    return municipality_id is not None and _signed_in(user) and user.has_role("consultant", municipality_id)


def _write_plan(user, plan) -> bool:
    """Planners of the plan's municipality (and admins) write its plan; `plan` may be a Municipality."""
    return plan is not None and _staff_of(user, _municipality_id(plan))


def _read_draft(user, plan) -> bool:
    """Drafts are read by the municipality's planners, its assigned consultants and admins."""
    if plan is None:
        return False
    place = _municipality_id(plan)
    return _staff_of(user, place) or _consultant_of(user, place)


def _comment_public_plan(user, plan) -> bool:
    """Residents comment on the public page of a plan that has been submitted at least once."""
    return plan is not None and _signed_in(user) and bool(plan.versions)


def _flag(user, item) -> bool:
    """Signed-in residents flag what someone else wrote (an author hides nothing by flagging their own)."""
    return item is not None and _signed_in(user) and hasattr(item, "author_id") and item.author_id != user.id


def _moderate(user, thing) -> bool:
    """Staff of the municipality a flagged item belongs to (the item itself, or its report, proposal or plan)."""
    place = getattr(thing, "municipality_id", None)
    return place is not None and _staff_of(user, place)


def _municipality_id(thing):
    """The municipality a plan belongs to, or the municipality itself (before its plan exists)."""
    from webapp.models import Municipality

    return thing.id if isinstance(thing, Municipality) else thing.municipality_id


RULES = {
    "report.create": _signed_in,
    "report.vote": _take_part,
    "report.comment": _take_part,
    "report.triage": _triage,
    "report.reopen": _reopen,
    "report.see_author": _see_author,
    "proposal.create": _signed_in,
    "proposal.vote": _take_part,
    "proposal.comment": _take_part,
    "proposal.answer": _answer_proposal,
    "proposal.see_author": _see_author,
    "analytics.view": _view_analytics,
    "analytics.menu": _analyst,
    "catalog.manage": _admin,
    "call.manage": _admin,
    # A call's evaluation rubric (stages, criteria, how scores aggregate and combine).
    "evaluation.manage": _admin,
    "plan.write": _write_plan,
    "plan.read_draft": _read_draft,
    "plan.consult": _read_draft,
    "plan.comment_public": _comment_public_plan,
    "content.flag": _flag,
    "content.moderate": _moderate,
    # Who sees the moderation queue (planners see only their municipality's items in it).
    "moderation.queue": _analyst,
}


def moderated_municipalities(user) -> set[int] | None:
    """Ids of the municipalities whose content the user moderates; None means all (admins)."""
    if _admin(user):
        return None
    if not _signed_in(user):
        return set()
    return {g.municipality_id for g in user.grants if g.role == "planner" and g.municipality_id is not None}


def can(user, action: str, obj=None) -> bool:
    """True when a rule for `action` allows `user` to act on `obj`."""
    rule = RULES.get(action)
    return bool(rule and rule(user, obj))


def require(user, action: str, obj=None) -> None:
    """Raise Unauthorized (not signed in) or Forbidden unless `user` may do `action`."""
    if can(user, action, obj):
        return
    if not _signed_in(user):
        raise Unauthorized()
    raise Forbidden()
