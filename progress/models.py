"""Progress keeps no copy of anyone's practice or journal: the dashboard and the
exports read the owning apps through their `for_user` querysets.

Its one table holds an uploaded export between the preview and the person's
"Import" click, for an hour at most. It is deleted with the account.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

# A preview not confirmed within this time is thrown away.
IMPORT_PREVIEW_LIFETIME = timedelta(hours=1)


class PendingImportQuerySet(models.QuerySet):
    def for_user(self, user, now=None) -> "PendingImportQuerySet":
        if not getattr(user, "is_authenticated", False):
            return self.none()
        now = now or timezone.now()
        return self.filter(user=user, created_at__gt=now - IMPORT_PREVIEW_LIFETIME)

    def purge_stale(self, now=None) -> int:
        """Delete previews nobody confirmed in time; they hold private words."""
        now = now or timezone.now()
        deleted, _ = self.filter(created_at__lte=now - IMPORT_PREVIEW_LIFETIME).delete()
        return deleted

    def hold(self, user, file_name: str, data: dict) -> "PendingImport":
        """Keep a file that read and checked cleanly until the person confirms it."""
        self.purge_stale()
        name = "".join(char for char in file_name if char.isprintable())[:200]
        return self.create(user=user, file_name=name, payload=data)


class PendingImport(models.Model):
    """A checked export file waiting for its owner to look at the preview and confirm."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_imports"
    )
    file_name = models.CharField(max_length=200, blank=True)
    payload = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = PendingImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_at"], name="progress_pending_import_age")]

    def __str__(self) -> str:
        return f"Pending import {self.public_id}"

    def get_absolute_url(self) -> str:
        return reverse("progress:import_preview", kwargs={"public_id": self.public_id})

    @property
    def expires_at(self):
        return self.created_at + IMPORT_PREVIEW_LIFETIME

    def plan(self, *, restore_settings: bool = True):
        """What importing would add now (the account may have changed since upload)."""
        from progress.importing import plan_import

        return plan_import(self.user, self.payload, restore_settings=restore_settings)

    def apply(self, *, restore_settings: bool = True):
        """Import everything new in the file, or nothing at all; then forget the file."""
        from progress.importing import apply_plan

        with transaction.atomic():
            plan = self.plan(restore_settings=restore_settings)
            apply_plan(plan)
            self.delete()
        return plan


# Each download reads a person's whole history, so copies are limited per hour.
EXPORTS_PER_HOUR = 6
EXPORT_WINDOW = timedelta(hours=1)


class DataExportQuerySet(models.QuerySet):
    def refusal(self, user, now=None) -> tuple[str, int] | None:
        """None if the person may download now; otherwise why not, in their own
        time, and how many seconds until they may."""
        now = now or timezone.now()
        recent = self.filter(user=user, created_at__gt=now - EXPORT_WINDOW)
        # The oldest download that still counts decides when a place frees up.
        oldest_counted = recent.order_by("-created_at").values_list("created_at", flat=True)[
            EXPORTS_PER_HOUR - 1 : EXPORTS_PER_HOUR
        ]
        if not oldest_counted:
            return None
        allowed_at = oldest_counted[0] + EXPORT_WINDOW
        local_time = timezone.localtime(allowed_at, user.zone)
        message = (
            f"You've downloaded {EXPORTS_PER_HOUR} copies in the last hour, the most we make "
            f"in an hour because each one reads your whole history. You can download again "
            f"from {local_time:%H:%M}."
        )
        return message, int((allowed_at - now).total_seconds()) + 1

    def record(self, user, file_format: str, now=None) -> "DataExport":
        """Count a download, forgetting any too old to count (only the times are kept)."""
        now = now or timezone.now()
        self.filter(user=user, created_at__lte=now - EXPORT_WINDOW).delete()
        return self.create(user=user, file_format=file_format, created_at=now)


class DataExport(models.Model):
    """When a person downloaded a copy of their data, kept for an hour to pace downloads."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    file_format = models.CharField(max_length=8, choices=[("json", "JSON"), ("csv", "CSV")])
    created_at = models.DateTimeField(default=timezone.now)

    objects = DataExportQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"], name="progress_export_user_time")]

    def __str__(self) -> str:
        return f"{self.file_format} export at {self.created_at:%Y-%m-%d %H:%M}"
