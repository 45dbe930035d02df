"""Recording staff actions."""
from webapp.extensions import db
from webapp.models import AuditEvent


def record(actor, action: str, target, **data) -> None:
    """Add an audit event for `action` on `target` to the current transaction."""
    db.session.add(
        AuditEvent(
            actor_id=getattr(actor, "id", None),
            action=action,
            target_type=type(target).__name__,
            target_id=target.id,
            data=data,
        )
    )
