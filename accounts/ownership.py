"""Rows that belong to one person, and the one way to read them: `for_user(user)`."""

from typing import Self

from django.db import models
from django.db.models import Q


class OwnedQuerySet(models.QuerySet):
    """`for_user(user)` is that person's visible rows, as a QuerySet.

    "Visible" means what the person's own pages show; a kind of row that hides
    some (deleted and waiting out the undo, say) narrows `visible_condition()`.
    An anonymous visitor owns nothing. Other needs have names of their own.
    """

    # The path from a row to its owner, for rows owned through another row.
    owner_field = "user"

    def for_user(self, user) -> Self:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(self.visible_condition(), **{self.owner_field: user})

    def visible_condition(self) -> Q:
        return Q()
