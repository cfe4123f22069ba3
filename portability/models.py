"""Portability keeps no copy of anyone's practice or journal: exports read the
owning apps through their `for_user` querysets.

One table holds an uploaded file (our own export, or another app's CSV) between
the preview and the person's "Import" click, for an hour at most; two others
hold only the times of the last hour's downloads and uploads, to pace them; one
remembers which rows of other apps' files were imported, so a file imported
again adds nothing. All of them go with the account.

The tables were made by the progress app and keep its names (Meta.db_table), so
moving the models here moved no data.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.ownership import OwnedQuerySet
from vault.fields import EncryptedJSONField

# A preview not confirmed within this time is thrown away.
IMPORT_PREVIEW_LIFETIME = timedelta(hours=1)
# Each holds a whole journal: a newer upload replaces the oldest beyond this.
PENDING_IMPORTS_PER_PERSON = 3


class ImportSource(models.TextChoices):
    RIVERWISE = "riverwise", "Riverwise export"
    DAYLIO = "daylio", "Daylio"
    BEARABLE = "bearable", "Bearable"
    COLUMNS = "columns", "A spreadsheet (CSV)"


class PendingImportQuerySet(OwnedQuerySet):
    def visible_condition(self) -> Q:
        # A preview past its hour is gone for its owner, though not yet purged.
        return Q(created_at__gt=timezone.now() - IMPORT_PREVIEW_LIFETIME)

    def purge_stale(self, now=None) -> int:
        """Delete previews nobody confirmed in time; they hold private words."""
        now = now or timezone.now()
        deleted, _ = self.filter(created_at__lte=now - IMPORT_PREVIEW_LIFETIME).delete()
        return deleted

    def hold(
        self,
        user,
        file_name: str,
        data: dict,
        summary: dict | None = None,
        source: str = ImportSource.RIVERWISE,
    ):
        """Keep a file that read and checked cleanly, and what the check found (the
        preview shows it), until the person confirms it. The newest few are kept,
        per person."""
        name = "".join(char for char in file_name if char.isprintable())[:200]
        pending = self.create(
            user=user, file_name=name, payload=data, summary=summary or {}, source=source
        )
        newest = self.filter(user=user).order_by("-created_at", "-id")
        keep = list(newest.values_list("pk", flat=True)[:PENDING_IMPORTS_PER_PERSON])
        self.filter(user=user).exclude(pk__in=keep).delete()
        return pending


class PendingImport(models.Model):
    """A checked file waiting for its owner to look at the preview and confirm."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_imports"
    )
    file_name = models.CharField(max_length=200, blank=True)
    # Our own JSON export, or another app's CSV (its rows, and the person's choices).
    source = models.CharField(
        max_length=12, choices=ImportSource.choices, default=ImportSource.RIVERWISE
    )
    # A whole journal waiting for its owner's yes: sealed like the journal itself.
    payload = EncryptedJSONField()
    # What the check at upload found: the preview shows this, never re-reading the file.
    summary = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    objects = PendingImportQuerySet.as_manager()

    class Meta:
        db_table = "progress_pendingimport"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_at"], name="progress_pending_import_age")]

    def __str__(self) -> str:
        return f"Pending import {self.public_id}"

    def get_absolute_url(self) -> str:
        view = "import_preview" if self.source == ImportSource.RIVERWISE else "history_preview"
        return reverse(f"portability:{view}", kwargs={"public_id": self.public_id})

    def preview(self):
        """What the check at upload found (a file kept before summaries were is checked now)."""
        from portability.plan import ImportPreview

        return ImportPreview.from_summary(self.summary or self.plan().summary())

    def plan(self, *, restore_settings: bool = True):
        """What importing would add now (the account may have changed since upload)."""
        from portability.importing import plan_import

        return plan_import(self.user, self.payload, restore_settings=restore_settings)

    def apply(self, *, restore_settings: bool = True):
        """Import everything new in the file, or nothing at all; then forget the file."""
        from portability.importing import apply_plan

        with transaction.atomic():
            plan = self.plan(restore_settings=restore_settings)
            apply_plan(plan)
            self.delete()
        return plan


class ImportedRowQuerySet(OwnedQuerySet):
    def known(self, user, fingerprints) -> set[str]:
        """Which of these rows of other apps' files the person has imported before."""
        found: set[str] = set()
        fingerprints = list(fingerprints)
        for start in range(0, len(fingerprints), 2000):
            batch = fingerprints[start : start + 2000]
            found.update(
                self.filter(user=user, fingerprint__in=batch).values_list("fingerprint", flat=True)
            )
        return found


class ImportedRow(models.Model):
    """A row of another app's file (Daylio, Bearable, a spreadsheet) that was imported.

    Only a keyed hash of the row is kept, never its words, so importing the same
    file again is recognised row by row. It goes with the entry it became: an
    entry deleted for good can be imported again.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="imported_rows"
    )
    fingerprint = models.CharField(max_length=64)
    entry = models.ForeignKey(
        "journal.JournalEntry", on_delete=models.CASCADE, related_name="imported_rows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ImportedRowQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "fingerprint"], name="portability_imported_row_once"
            )
        ]

    def __str__(self) -> str:
        return f"Imported row {self.pk}"


@dataclass(frozen=True)
class Refusal:
    """Why a person can't have a turn now, as numbers; the page puts them in words."""

    per_hour: int
    # The time of day a turn frees up, in the person's own time zone.
    allowed_from: time
    wait_seconds: int


class PacedQuerySet(models.QuerySet):
    """Turns at something costly, a few an hour per person, counted atomically."""

    def refusal(self, user, now: datetime | None = None) -> Refusal | None:
        """None if the person may have a turn now; otherwise how many turns an hour
        there are, when the next one frees up in their own time, and how many
        seconds until then."""
        now = now or timezone.now()
        per_hour, window = self.model.PER_HOUR, self.model.WINDOW
        recent = self.filter(user=user, created_at__gt=now - window)
        # The oldest turn that still counts decides when a place frees up.
        oldest_counted = recent.order_by("-created_at").values_list("created_at", flat=True)[
            per_hour - 1 : per_hour
        ]
        if not oldest_counted:
            return None
        allowed_at = oldest_counted[0] + window
        return Refusal(
            per_hour=per_hour,
            allowed_from=timezone.localtime(allowed_at, user.zone).time(),
            wait_seconds=int((allowed_at - now).total_seconds()) + 1,
        )

    def record(self, user, now: datetime | None = None, **fields):
        """Count a turn, forgetting any too old to count (only the times are kept)."""
        now = now or timezone.now()
        self.filter(user=user, created_at__lte=now - self.model.WINDOW).delete()
        return self.create(user=user, created_at=now, **fields)

    def take_turn(self, user, now: datetime | None = None, **fields) -> Refusal | None:
        """Check and count in one step: None if the turn is taken, else the refusal.

        The person's own row is locked first, so requests sent at the same moment
        queue here one by one and can never all take the last turn.
        """
        with transaction.atomic():
            list(
                get_user_model()
                .objects.select_for_update()
                .filter(pk=user.pk)
                .values_list("pk", flat=True)
            )
            refusal = self.refusal(user, now)
            if refusal is None:
                self.record(user, now, **fields)
            return refusal


class DataExport(models.Model):
    """When a person downloaded a copy of their data, kept for an hour to pace downloads."""

    # Each download reads a person's whole history.
    PER_HOUR = 6
    WINDOW = timedelta(hours=1)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    file_format = models.CharField(max_length=8, choices=[("json", "JSON"), ("csv", "CSV")])
    created_at = models.DateTimeField(default=timezone.now)

    objects = PacedQuerySet.as_manager()

    class Meta:
        db_table = "progress_dataexport"
        indexes = [models.Index(fields=["user", "created_at"], name="progress_export_user_time")]

    def __str__(self) -> str:
        return f"{self.file_format} export at {self.created_at:%Y-%m-%d %H:%M}"


class ImportUpload(models.Model):
    """When a person uploaded a file to import, kept for an hour to pace uploads."""

    # Each upload is read and checked in full (up to 10 MB).
    PER_HOUR = 10
    WINDOW = timedelta(hours=1)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_uploads"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = PacedQuerySet.as_manager()

    class Meta:
        db_table = "progress_importupload"
        indexes = [models.Index(fields=["user", "created_at"], name="progress_upload_user_time")]

    def __str__(self) -> str:
        return f"Upload at {self.created_at:%Y-%m-%d %H:%M}"


EXPORTS_PER_HOUR = DataExport.PER_HOUR
EXPORT_WINDOW = DataExport.WINDOW
IMPORTS_PER_HOUR = ImportUpload.PER_HOUR
