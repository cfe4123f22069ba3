"""Freshness of what is cached per person, in one place.

Views that cache a person's figures (the dashboard) put `User.data_version`
in the cache key, so every write to a row they read must bump its owner's
version. Rows are written through two doors, and both are covered here:

- one row at a time (save, delete, and what a delete cascades to): post_save
  and post_delete receivers, connected by `track_data_version()`;
- many rows at once (QuerySet.update, bulk_create, delete, and bulk_update,
  which runs update() per batch), which send no save signals:
  `DataVersionQuerySet`, the base of every source model's QuerySet, bumps
  each affected owner once per statement.

The dashboard names its sources (progress.apps.DASHBOARD_SOURCES); a test checks
that list against the tables the dashboard really reads.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

from accounts.ownership import OwnedQuerySet

# Every source row belongs to one person through this field.
OWNER_FIELD = "user"


def bump_data_versions(owner_ids: Iterable[int | None]) -> None:
    """Bump these people's data version (once each), so cached figures are rebuilt."""
    from accounts.models import User

    owners = {pk for pk in owner_ids if pk is not None}
    if owners:
        User.objects.data_changed(*owners)


class DataVersionQuerySet(OwnedQuerySet):
    """A QuerySet whose writes in bulk bump the data version of the owners they touch.

    Each method bumps only when a row was written, and each owner once.
    """

    def _owner_ids(self) -> set[int]:
        return set(self.order_by().values_list(OWNER_FIELD, flat=True).distinct())

    def update(self, **kwargs: Any) -> int:
        with transaction.atomic(using=self.db, savepoint=False):
            # Read before writing: the update may change what the filter matches.
            owners = self._owner_ids()
            if not owners:
                return 0
            new_owner = kwargs.get(OWNER_FIELD, kwargs.get(f"{OWNER_FIELD}_id"))
            if isinstance(new_owner, models.Model | int):
                owners.add(new_owner.pk if isinstance(new_owner, models.Model) else new_owner)
            updated = super().update(**kwargs)
            if updated:
                bump_data_versions(owners)
        return updated

    update.alters_data = True  # type: ignore[attr-defined]

    def delete(self) -> tuple[int, dict[str, int]]:
        with transaction.atomic(using=self.db, savepoint=False):
            owners = self._owner_ids()
            deleted, per_model = super().delete()
            if deleted:
                bump_data_versions(owners)
        return deleted, per_model

    # Like Django's own: never copied onto the manager, so `objects.delete()` can't empty a table.
    delete.alters_data = True  # type: ignore[attr-defined]
    delete.queryset_only = True  # type: ignore[attr-defined]

    def bulk_create(self, objs: Iterable[models.Model], *args: Any, **kwargs: Any) -> list:
        created = super().bulk_create(objs, *args, **kwargs)
        bump_data_versions(getattr(obj, f"{OWNER_FIELD}_id") for obj in created)
        return created


def _row_written(sender: type[models.Model], instance: models.Model, origin: Any = None, **kwargs):
    from accounts.models import User

    if isinstance(origin, DataVersionQuerySet):
        return  # a bulk delete: it bumps each owner once itself
    if isinstance(origin, User) or (
        isinstance(origin, models.QuerySet) and issubclass(origin.model, User)
    ):
        return  # the whole account is being deleted: nothing left to cache
    bump_data_versions([getattr(instance, f"{OWNER_FIELD}_id")])


def track_data_version(*sources: type[models.Model]) -> None:
    """Bump the owner's data version on every write to these models' rows.

    Refuses, at start-up, a source whose managers could write in bulk unseen.
    """
    for model in sources:
        untracked = [
            manager.name
            for manager in model._meta.managers
            if not isinstance(manager.get_queryset(), DataVersionQuerySet)
        ]
        if untracked:
            raise ImproperlyConfigured(
                f"{model._meta.label} is read by cached pages, so its QuerySet must "
                f"subclass accounts.freshness.DataVersionQuerySet (manager: {untracked})."
            )
        uid = f"accounts.freshness.{model._meta.label}"
        post_save.connect(_row_written, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_row_written, sender=model, dispatch_uid=f"{uid}.delete")
