"""Rows that belong to one person: the one way to read them, `for_user(user)`, and
the rule that the days they pick are not after their own today."""

from datetime import date
from typing import Self

from django.core.exceptions import ValidationError
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

    def for_users(self, user_ids) -> Self:
        """Rows of several people at once, for batch work such as sending reminders."""
        return self.filter(self.visible_condition(), **{f"{self.owner_field}__in": user_ids})

    def visible_condition(self) -> Q:
        return Q()


# Days a person picks are days of their own calendar.
NOT_YET_TODAY = "That day hasn't come yet where you are. Choose today or an earlier day."


def check_not_after_today(user, day: date | None, message: str = NOT_YET_TODAY) -> None:
    """The one home of "not after today": raises ValidationError for a day still to come."""
    if day is not None and day > user.local_today():
        raise ValidationError(message, code="after_today")


class DatedByOwner(models.Model):
    """A row with days on its owner's calendar, none of them after the owner's today.

    `DAYS_NOT_AFTER_TODAY` names those fields, each with what to say when its day
    is still to come. The rule runs with the fields' own checks, so forms and
    imports meet it wherever they meet `full_clean`.
    """

    DAYS_NOT_AFTER_TODAY: dict[str, str] = {}

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None) -> None:
        errors: dict = {}
        try:
            super().clean_fields(exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name, message in self.DAYS_NOT_AFTER_TODAY.items():
            owner_id = getattr(self, "user_id", None)  # every subclass has a user field
            if name in errors or (exclude and name in exclude) or owner_id is None:
                continue
            try:
                check_not_after_today(self.user, getattr(self, name), message)  # type: ignore[attr-defined]  # every subclass has one
            except ValidationError as error:
                errors[name] = [error]
        skipped = set(exclude or ()) | set(errors)
        for name, problem in self.rules_between_fields(skipped).items():
            errors.setdefault(name, []).append(problem)
        if errors:
            raise ValidationError(errors)

    def rules_between_fields(self, skipped: set[str]) -> dict[str, ValidationError]:
        """Rules that read several fields, beside the fields' own checks: a subclass
        leaves out any that reads a field in `skipped` (excluded, or already refused)."""
        return {}
