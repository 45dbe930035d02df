"""Submitting a plan: the rule check, the frozen version, and the linked reports moving to "planned"."""
from datetime import datetime

from flask_babel import gettext, lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from webapp.core import audit
from webapp.core.time import utcnow
from webapp.errors import Conflict, ValidationFailed
from webapp.extensions import db
from webapp.models import PlanVersion, StatusChange
from webapp.plans import rules as plan_rules
from webapp.plans.service import get_for_write
from webapp.plans.snapshot import snapshot

# Reports not yet taken up by anyone move to "planned" when a plan that answers them is submitted.
TO_PLAN = ("submitted", "under_review")


def submit(user, plan_id: int, now: datetime | None = None) -> PlanVersion:
    """Freeze the plan as its next version, if it breaks no rule at `now`; refusals list every violation."""
    plan = get_for_write(user, plan_id)
    now = now or utcnow()
    violations = plan_rules.check(plan, now)
    if violations:
        raise ValidationFailed(
            _l("The plan cannot be submitted yet: fix the problems listed."),
            fields={"violations": [plan_rules.message(v) for v in violations]},
            details={"violations": [v.as_dict() for v in violations]},
        )
    number = (db.session.scalar(select(func.max(PlanVersion.number)).where(PlanVersion.plan_id == plan.id)) or 0) + 1
    version = PlanVersion(plan_id=plan.id, number=number, snapshot=snapshot(plan), submitted_by_id=user.id,
                          submitted_at=now)
    db.session.add(version)
    plan.status = "submitted"
    plan.touch()
    # History notes are stored as written, here in the submitter's language.
    note = gettext("Included in plan: %(title)s", title=plan.title)
    moved = []
    for report in {r.id: r for item in plan.items for r in item.reports}.values():
        if report.status in TO_PLAN:
            report.history.append(StatusChange(actor_id=user.id, from_status=report.status, to_status="planned",
                                               note=note))
            audit.record(user, "report.status", report, to="planned", **{"from": report.status}, plan=plan.id)
            report.status = "planned"
            report.touch()
            moved.append(report.id)
    audit.record(user, "plan.submit", plan, version=number, reports=moved)
    try:
        db.session.commit()
    except IntegrityError:
        # Someone else submitted the same version number at the same moment.
        db.session.rollback()
        raise Conflict(_l("The plan was submitted by someone else just now. Reload and check.")) from None
    return version
