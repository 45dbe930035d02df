"""One vote per user and item (report or proposal): the database's unique constraint decides, the count is the rows."""
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db


class Ballots:
    """The vote rows of one kind of item: `model` holds a row per vote, `item` is its column naming the item."""

    def __init__(self, model, item, outer):
        self.model, self.item, self.outer = model, item, outer

    def count_column(self):
        """A scalar subquery counting the votes of the outer item row (`outer` is that item's id column)."""
        return (
            select(func.count(self.model.id)).where(self.item == self.outer)
            .correlate(self.outer.table).scalar_subquery()
        )

    def count(self, item_id: int) -> int:
        """How many votes the item has (the number of vote rows)."""
        return db.session.scalar(select(func.count(self.model.id)).where(self.item == item_id))

    def has(self, user, item_id: int) -> bool:
        """True when the signed-in user has voted for the item."""
        if not getattr(user, "is_authenticated", False):
            return False
        mine = select(func.count(self.model.id)).where(self.item == item_id, self.model.user_id == user.id)
        return db.session.scalar(mine) > 0

    def cast(self, user, item_id: int) -> None:
        """Add the user's vote; voting twice, even at the same moment, leaves one row."""
        try:
            db.session.add(self.model(**{self.item.key: item_id, "user_id": user.id}))
            db.session.commit()
        except IntegrityError:
            # A concurrent or repeated vote by the same user: the constraint kept one row.
            db.session.rollback()

    def withdraw(self, user, item_id: int) -> None:
        """Remove the user's vote if there is one."""
        db.session.execute(delete(self.model).where(self.item == item_id, self.model.user_id == user.id))
        db.session.commit()
