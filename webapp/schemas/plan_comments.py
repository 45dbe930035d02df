"""Input of consultation and public comments on plans."""
from webapp.schemas.common import BaseSchema, integer, text

COMMENT_MAX = 2000


class PlanCommentIn(BaseSchema):
    body = text(COMMENT_MAX)
    item = integer(required=False, load_default=None, allow_none=True)
