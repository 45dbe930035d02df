"""Input of consultation and public comments on plans."""
from webapp.schemas.common import BaseSchema, id_field, text

COMMENT_MAX = 2000


class PlanCommentIn(BaseSchema):
    body = text(COMMENT_MAX, multiline=True)
    item = id_field(required=False, load_default=None, allow_none=True)
