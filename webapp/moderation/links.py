"""Where a flaggable item is shown: its page, with an anchor for comments."""
from flask import url_for

from webapp.models import FLAGGABLE

# The <kind> part of every moderation route (web and API): one of the flaggable kinds.
KIND_RULE = f"<any({', '.join(FLAGGABLE)}):kind>"


def item_url(found) -> str:
    """The public page showing the target (a comment's page is its report's, proposal's or plan's)."""
    kind, item = found.kind, found.item
    if kind == "report":
        return url_for("reports.show", report_id=item.id)
    if kind == "comment":
        return url_for("reports.show", report_id=item.report_id) + f"#comment-{item.id}"
    if kind == "proposal":
        return url_for("proposals.show", proposal_id=item.id)
    if kind == "proposal_comment":
        return url_for("proposals.show", proposal_id=item.proposal_id) + f"#comment-{item.id}"
    if item.public:
        return url_for("plans.public", plan_id=item.plan_id) + f"#c-{item.id}"
    return url_for("plans.consultation", plan_id=item.plan_id)
