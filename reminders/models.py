"""Reminders, their preferences and deliveries.

Just over 400 lines: the exactly-once delivery pipeline (claim, compare-and-set,
retries, settling interrupted sends) is kept together with the models it moves.
"""

import logging
import smtplib
import uuid
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.ownership import OwnedQuerySet
from reminders.schedule import ALL_DAYS, next_occurrence

logger = logging.getLogger(__name__)

MAX_REMINDERS_PER_PERSON = 10
# SMTP failures are retried with growing gaps for about six hours.
RETRY_FOR = timedelta(hours=6)
FIRST_RETRY = timedelta(seconds=settings.REMINDER_FIRST_RETRY_SECONDS)
LONGEST_RETRY_GAP = timedelta(minutes=60)
# A claimed delivery handed to the broker is not handed over again for this long.
DISPATCH_LEASE = timedelta(seconds=settings.REMINDER_DISPATCH_LEASE_SECONDS)
# A send that has said nothing for this long was cut off.
INTERRUPTED_AFTER = timedelta(seconds=settings.REMINDER_INTERRUPTED_SECONDS)
# Why a delivery counts as sent without the mail server's "250 OK".
UNCONFIRMED = "Handed to the mail server, which didn't get to confirm; not sent twice."


@lru_cache(maxsize=1024)
def zone_for(name: str) -> ZoneInfo:
    return ZoneInfo(name)


DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


class ReminderPreferencesQuerySet(OwnedQuerySet):
    def get_or_default(self, user) -> "ReminderPreferences":
        """The person's preferences, or the defaults (unsaved) until they change one."""
        return self.for_user(user).first() or self.model(user=user)


class ReminderPreferences(models.Model):
    """Account-wide choices that apply to every reminder a person has."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preferences"
    )
    paused_until = models.DateField(
        null=True, blank=True, help_text="No reminders up to and including this day."
    )
    skip_when_done = models.BooleanField(
        "Skip a nudge when I've already done it that day", default=True
    )

    objects = ReminderPreferencesQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "reminder preferences"

    def __str__(self) -> str:
        return f"Reminder preferences of {self.user}"

    def is_paused_on(self, local_date) -> bool:
        return self.paused_until is not None and local_date <= self.paused_until


class ReminderQuerySet(OwnedQuerySet):
    def due(self, now: datetime):
        """Reminders whose next firing has come (served by a partial index)."""
        return self.filter(enabled=True, next_fire_at__lte=now)

    def claim_due(self, now: datetime, limit: int = 1000) -> tuple[int, list[int]]:
        """Turn up to `limit` due firings into deliveries, each exactly once.

        Claimed rows are locked (PostgreSQL skips rows another tick holds;
        SQLite serialises writers), their next firing moves forward in the
        same transaction, and a unique (reminder, local date) delivery is the
        last guard. Returns how many reminders were claimed, and the ids of
        deliveries created already leased for hand-over (PostgreSQL; elsewhere
        they wait for `lease_ready`).
        """
        with transaction.atomic():
            due = self.due(now).order_by("next_fire_at")
            if connection.features.has_select_for_update_skip_locked:
                due = due.select_for_update(skip_locked=True, of=("self",))
            rows = list(
                due.values_list("id", "local_time", "days", "next_fire_at", "user__timezone")[
                    :limit
                ]
            )
            next_times, deliveries = [], []
            # Many people share a time, days and zone: work each one out once.
            next_after = lru_cache(maxsize=4096)(next_occurrence)
            for reminder_id, local_time, days, fired, zone_name in rows:
                zone = zone_for(zone_name)
                # Firings missed while nothing ran are not all sent late: the
                # next one is the first still ahead.
                next_times.append(
                    (reminder_id, next_after(max(fired, now), local_time, days, zone))
                )
                deliveries.append((reminder_id, fired.astimezone(zone).date(), fired))
            self._set_next_fire_times(next_times)
            leased = Delivery.objects.create_pending(deliveries, now)
        return len(rows), leased

    def _set_next_fire_times(self, next_times: list[tuple[int, datetime | None]]) -> None:
        if not next_times:
            return
        if connection.vendor == "postgresql":
            # One set-based statement; bulk_update's CASE costs seconds at 100,000.
            ids, times = zip(*next_times, strict=True)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {Reminder._meta.db_table} AS r SET next_fire_at = v.next_fire_at "
                    "FROM unnest(%s::bigint[], %s::timestamptz[]) AS v(id, next_fire_at) "
                    "WHERE r.id = v.id",
                    [list(ids), list(times)],
                )
            return
        reminders = [Reminder(id=rid, next_fire_at=at) for rid, at in next_times]
        self.bulk_update(reminders, ["next_fire_at"], batch_size=500)


class Reminder(models.Model):
    class Kind(models.TextChoices):
        PRACTICE = "practice", "Practice nudge"
        CHECK_IN = "check_in", "Journal and FACES check-in"
        WEEKLY_SUMMARY = "weekly_summary", "Weekly summary"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PRACTICE)
    local_time = models.TimeField(default=time(7, 30))
    days = models.PositiveSmallIntegerField(default=ALL_DAYS, help_text="Bit 0 is Monday.")
    practice_slug = models.SlugField(
        blank=True, help_text="The practice the nudge suggests; blank lets us choose."
    )
    enabled = models.BooleanField(default=True)
    next_fire_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["local_time", "created_at"]
        indexes = [
            models.Index(
                fields=["next_fire_at"],
                name="reminder_due_idx",
                condition=models.Q(enabled=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.local_time:%H:%M} ({self.days_label})"

    def clean(self):
        if not self.days & ALL_DAYS:
            raise ValidationError({"days": "Choose at least one day."})

    @property
    def chosen_days(self) -> list[int]:
        return [day for day in range(7) if self.days & (1 << day)]

    @property
    def days_label(self) -> str:
        if self.days & ALL_DAYS == ALL_DAYS:
            return "every day"
        if self.days == 0b0011111:
            return "weekdays"
        if self.days == 0b1100000:
            return "weekends"
        return ", ".join(DAY_NAMES[day] for day in self.chosen_days)

    def next_fire_after(self, after: datetime) -> datetime | None:
        """When this reminder next fires after `after`, in UTC, in its owner's zone."""
        if not self.enabled:
            return None
        return next_occurrence(after, self.local_time, self.days, self.user.zone)

    def reschedule(self, now: datetime | None = None) -> None:
        """Recompute the next firing after an edit or a change of time zone."""
        self.next_fire_at = self.next_fire_after(now or timezone.now())


class DeliveryQuerySet(OwnedQuerySet):
    owner_field = "reminder__user"

    def create_pending(
        self, occurrences: list[tuple[int, date, datetime]], now: datetime
    ) -> list[int]:
        """Insert (reminder id, local date, scheduled time) deliveries; skip any that exist.

        On PostgreSQL the new rows are created already leased and their ids
        returned, so the tick hands them over without a second pass.
        """
        if not occurrences:
            return []
        if connection.vendor == "postgresql":
            reminder_ids, local_dates, scheduled = zip(*occurrences, strict=True)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {Delivery._meta.db_table} (reminder_id, local_date, "
                    "scheduled_for, status, attempts, next_attempt_at, last_error, created_at) "
                    "SELECT v.reminder_id, v.local_date, v.scheduled_for, %s, 0, %s, '', %s "
                    "FROM unnest(%s::bigint[], %s::date[], %s::timestamptz[]) "
                    "AS v(reminder_id, local_date, scheduled_for) "
                    "ON CONFLICT (reminder_id, local_date) DO NOTHING RETURNING id",
                    [
                        Delivery.Status.PENDING,
                        now + DISPATCH_LEASE,
                        now,
                        list(reminder_ids),
                        list(local_dates),
                        list(scheduled),
                    ],
                )
                return [row[0] for row in cursor.fetchall()]
        self.bulk_create(
            [
                Delivery(reminder_id=rid, local_date=day, scheduled_for=at, next_attempt_at=now)
                for rid, day, at in occurrences
            ],
            ignore_conflicts=True,
            batch_size=500,
        )
        return []

    def ready_to_send(self, now: datetime):
        return self.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)

    def lease_ready(self, now: datetime, limit: int = 1000) -> list[int]:
        """Take up to `limit` deliveries to hand to the broker.

        The lease keeps the next tick from handing them over again while they
        wait in the queue; if it runs out first, `start_sending` still lets
        only one worker send each.
        """
        if connection.vendor == "postgresql":
            table = Delivery._meta.db_table
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET next_attempt_at = %s WHERE id IN ("
                    f"SELECT id FROM {table} WHERE status = %s AND next_attempt_at <= %s "
                    "ORDER BY next_attempt_at LIMIT %s FOR UPDATE SKIP LOCKED) RETURNING id",
                    [now + DISPATCH_LEASE, Delivery.Status.PENDING, now, limit],
                )
                return sorted(row[0] for row in cursor.fetchall())
        with transaction.atomic():
            ready = self.ready_to_send(now).order_by("next_attempt_at")
            ids = list(ready.values_list("id", flat=True)[:limit])
            self.filter(id__in=ids).update(next_attempt_at=now + DISPATCH_LEASE)
        return ids

    def release(self, ids: list[int], now: datetime) -> None:
        """Give back a lease whose deliveries never reached the broker."""
        self.filter(id__in=ids, status=Delivery.Status.PENDING).update(next_attempt_at=now)

    def start_sending(self, delivery_id: int) -> "Delivery | None":
        """Compare-and-set PENDING to PREPARING: only the caller that wins sends."""
        claimed_at = timezone.now()
        won = self.filter(id=delivery_id, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.PREPARING, next_attempt_at=claimed_at
        )
        if not won:
            return None
        return self.select_related("reminder__user").get(id=delivery_id)

    def recover_interrupted(self, now: datetime) -> int:
        """Settle sends whose worker went quiet (it was killed) part-way.

        Cut off while PREPARING, the mail server never had the message: send it
        again. Cut off while SENDING, the server already had all of it: count
        it as sent, because sending it again would mean a second email.
        """
        quiet_since = now - INTERRUPTED_AFTER
        resend = self.filter(status=Delivery.Status.PREPARING, next_attempt_at__lt=quiet_since)
        handed_over = self.filter(status=Delivery.Status.SENDING, next_attempt_at__lt=quiet_since)
        resent = resend.update(status=Delivery.Status.PENDING, next_attempt_at=now)
        settled = handed_over.update(
            status=Delivery.Status.SENT,
            sent_at=models.F("next_attempt_at"),
            attempts=models.F("attempts") + 1,
            last_error=UNCONFIRMED,
        )
        return resent + settled


class Delivery(models.Model):
    """One occurrence of a reminder: claimed once, and sent once.

    PENDING -> PREPARING (a worker has it; the mail server has nothing yet)
    -> SENDING (the whole message is with the mail server) -> SENT, or back
    to PENDING to retry after a mail server error.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        PREPARING = "preparing", "Preparing to send"
        SENDING = "sending", "Handed to the mail server"
        SENT = "sent", "Sent"
        SKIPPED_DONE = "skipped_done", "Skipped: you'd already done it"
        SKIPPED_PAUSED = "skipped_paused", "Skipped: reminders paused"
        SKIPPED_OFF = "skipped_off", "Skipped: reminder turned off"
        FAILED = "failed", "Could not be delivered"

    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="deliveries")
    local_date = models.DateField()
    scheduled_for = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-scheduled_for"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["reminder", "local_date"], name="one_delivery_per_reminder_per_day"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="delivery_ready_idx",
                condition=models.Q(status="pending"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.reminder} on {self.local_date}: {self.status}"

    def retry_or_fail(self, error: str, now: datetime) -> None:
        """Back off exponentially after an SMTP error, for about six hours in all."""
        self.attempts += 1
        self.last_error = error[:300]
        if now - self.scheduled_for >= RETRY_FOR:
            self.status = self.Status.FAILED
        else:
            self.status = self.Status.PENDING
            gap = min(FIRST_RETRY * 2 ** (self.attempts - 1), LONGEST_RETRY_GAP)
            self.next_attempt_at = now + gap

    def deliver(self, connection, now: datetime) -> None:
        """Send this occurrence, or record why not. Called once it is PREPARING."""
        from reminders.emails import already_done, reminder_message
        from reminders.handover import HandoverRefused, drop, send_with_handover

        reminder = self.reminder
        preferences = ReminderPreferences.objects.get_or_default(reminder.user)
        if not reminder.enabled:
            self.status = self.Status.SKIPPED_OFF
        elif preferences.is_paused_on(self.local_date):
            self.status = self.Status.SKIPPED_PAUSED
        elif preferences.skip_when_done and already_done(reminder, self.local_date):
            self.status = self.Status.SKIPPED_DONE
        else:
            try:
                send_with_handover(
                    reminder_message(self, connection), connection, self._handing_over
                )
            except HandoverRefused:
                logger.warning("reminder delivery=%s taken over by another worker", self.pk)
                return
            except (smtplib.SMTPException, OSError) as error:
                # The connection may be half-open now; the next send reopens it.
                drop(connection)
                if self.status == self.Status.SENDING and not isinstance(
                    error, smtplib.SMTPResponseException
                ):
                    # Cut off after the server had the whole message, before it
                    # answered: it has it, so don't send a second copy.
                    self.mark_sent(now, note=UNCONFIRMED)
                else:
                    self.retry_or_fail(f"{type(error).__name__}: {error}", now)
                logger.warning("reminder delivery=%s smtp error, status=%s", self.pk, self.status)
            else:
                self.mark_sent(now)
        self.save(update_fields=["status", "attempts", "next_attempt_at", "last_error", "sent_at"])

    def mark_sent(self, now: datetime, note: str = "") -> None:
        self.status = self.Status.SENT
        self.sent_at = now
        self.attempts += 1
        self.last_error = note

    def _handing_over(self) -> None:
        """Record, before the mail server can have the message, that it may have it."""
        from reminders.handover import HandoverRefused

        moved = Delivery.objects.filter(
            pk=self.pk, status=self.Status.PREPARING, next_attempt_at=self.next_attempt_at
        ).update(status=self.Status.SENDING, next_attempt_at=timezone.now())
        if not moved:
            raise HandoverRefused(self.pk)
        self.status = self.Status.SENDING
