"""Comments on plans: consultation on drafts (planners reply) and residents' public comments on submitted plans."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp.errors import NotFound, ValidationFailed
from webapp.extensions import db
from webapp.models import PlanComment, PlanItem
from webapp.models.plans import COMMENT_MAX
from webapp.permissions import require
from webapp.plans.service import get as get_plan


def _clean(body) -> str:
    # Checked here too, so that no caller can store an empty or oversized comment.
    body = (body or "").strip()
    if not body or len(body) > COMMENT_MAX:
        raise ValidationFailed(fields={"body": [_l("Must be between {min} and {max} characters long.").format(
            min=1, max=COMMENT_MAX)]})
    return body


def _item_of(plan, item_id):
    if item_id is None:
        return None
    item = db.session.get(PlanItem, item_id)
    if item is None or item.plan_id != plan.id:
        raise ValidationFailed(fields={"item": [_l("This item is not part of the plan.")]})
    return item


def _save(comment: PlanComment) -> PlanComment:
    db.session.add(comment)
    db.session.commit()
    return comment


def consult(user, plan_id: int, body: str, item_id: int | None = None) -> PlanComment:
    """A consultation comment on the draft plan or one of its items."""
    plan = get_plan(plan_id)
    require(user, "plan.consult", plan)
    item = _item_of(plan, item_id)
    return _save(PlanComment(plan_id=plan.id, item_id=item.id if item else None, author_id=user.id,
                             public=False, body=_clean(body)))


def reply(user, plan_id: int, comment_id: int, body: str) -> PlanComment:
    """A planner's reply in the thread of a comment (consultation or public); replies stay one level deep."""
    plan = get_plan(plan_id)
    require(user, "plan.write", plan)
    parent = db.session.get(PlanComment, comment_id)
    if parent is None or parent.plan_id != plan.id:
        raise NotFound(_l("This comment does not exist."))
    root = db.session.get(PlanComment, parent.reply_to_id) if parent.reply_to_id else parent
    return _save(PlanComment(plan_id=plan.id, item_id=root.item_id, reply_to_id=root.id, author_id=user.id,
                             public=root.public, body=_clean(body)))


def comment_public(user, plan_id: int, body: str) -> PlanComment:
    """A resident's comment on the public page of a submitted plan."""
    plan = get_plan(plan_id)
    require(user, "plan.comment_public", plan)
    return _save(PlanComment(plan_id=plan.id, author_id=user.id, public=True, body=_clean(body)))


def _threads(comments) -> list[tuple[PlanComment, list[PlanComment]]]:
    replies = {}
    for c in comments:
        if c.reply_to_id:
            replies.setdefault(c.reply_to_id, []).append(c)
    return [(c, replies.get(c.id, [])) for c in comments if not c.reply_to_id]


def _comments(plan_id: int, public: bool) -> list[PlanComment]:
    return list(db.session.scalars(
        select(PlanComment).where(PlanComment.plan_id == plan_id, PlanComment.public.is_(public))
        .order_by(PlanComment.created_at, PlanComment.id)
    ))


def public_threads(plan) -> list[tuple[PlanComment, list[PlanComment]]]:
    """Residents' comments on the public page, each with the planners' replies."""
    return _threads(_comments(plan.id, True))


def consultation_threads(user, plan) -> dict:
    """Consultation threads by item id (None = the whole plan), for those who may read the draft."""
    require(user, "plan.read_draft", plan)
    by_item = {}
    for thread in _threads(_comments(plan.id, False)):
        by_item.setdefault(thread[0].item_id, []).append(thread)
    return by_item
