"""Reminders, their preferences and deliveries.

About 560 lines: the exactly-once delivery pipeline (claim, compare-and-set, batched
sending, retries, settling interrupted sends) is kept together with the models it moves.
"""

import logging
import smtplib
import uuid
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.days import day_of
from accounts.ownership import OwnedQuerySet
from push.models import PushSubscription, push_is_configured
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
# The deliveries each choice of Reminder.deliver_by makes for one firing, by channel.
CHANNELS_OF = {"email": ("email",), "push": ("push",), "both": ("email", "push")}
# The same as SQL VALUES rows, for the claim's INSERT (constants, not user data).
CHANNEL_ROWS_SQL = ", ".join(
    f"('{choice}', '{channel}')" for choice, channels in CHANNELS_OF.items() for channel in channels
)


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
        if connection.vendor == "postgresql":
            return self._claim_due_in_two_statements(now, limit)
        with transaction.atomic():
            due = self.due(now).order_by("next_fire_at")
            if connection.features.has_select_for_update_skip_locked:
                due = due.select_for_update(skip_locked=True, of=("self",))
            rows = list(
                due.values_list(
                    "id",
                    "local_time",
                    "days",
                    "next_fire_at",
                    "user__timezone",
                    "user__day_ends_at",
                    "deliver_by",
                )[:limit]
            )
            plans = self._plan_firings((row[1:6] for row in rows), now)
            next_times, deliveries = [], []
            for reminder_id, *key, deliver_by in rows:
                next_fire_at, local_date = plans[tuple(key)]
                fired = key[2]
                next_times.append((reminder_id, next_fire_at))
                for channel in CHANNELS_OF[deliver_by]:
                    deliveries.append((reminder_id, local_date, fired, channel))
            self._set_next_fire_times(next_times)
            Delivery.objects.create_pending(deliveries, now)
        return len(rows), []

    @staticmethod
    def _plan_firings(groups, now: datetime) -> dict[tuple, tuple[datetime | None, date]]:
        """For each (local time, days, firing, zone, day's end): the next firing and the
        person's day it belongs to.

        Many people share a time, days and zone, so each is worked out once.
        Firings missed while nothing ran are not all sent late: the next one
        is the first still ahead.
        """
        plans = {}
        for local_time, days, fired, zone_name, day_ends_at in set(groups):
            zone = zone_for(zone_name)
            plans[(local_time, days, fired, zone_name, day_ends_at)] = (
                next_occurrence(max(fired, now), local_time, days, zone),
                day_of(fired.astimezone(zone), day_ends_at),
            )
        return plans

    def _claim_due_in_two_statements(self, now: datetime, limit: int) -> tuple[int, list[int]]:
        """PostgreSQL: lock a batch grouped by (time, days, firing, zone), then move
        it forward and turn it into deliveries in one statement.

        Only the few distinct groups are worked out in Python; each row's data
        stays in the database, which matters at 100,000 due in a minute.
        """
        reminders = Reminder._meta.db_table
        users = get_user_model()._meta.db_table
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "WITH claimed AS (SELECT r.id, r.local_time, r.days, r.next_fire_at, u.timezone, "
                "u.day_ends_at "
                f"FROM {reminders} AS r JOIN {users} AS u ON u.id = r.user_id "
                "WHERE r.enabled AND r.next_fire_at <= %s ORDER BY r.next_fire_at LIMIT %s "
                "FOR UPDATE OF r SKIP LOCKED) "
                "SELECT local_time, days, next_fire_at, timezone, day_ends_at, array_agg(id) "
                "FROM claimed GROUP BY local_time, days, next_fire_at, timezone, day_ends_at",
                [now, limit],
            )
            groups = cursor.fetchall()
            if not groups:
                return 0, []
            plans = self._plan_firings((group[:5] for group in groups), now)
            ids, group_numbers, next_times, local_dates, fired = [], [], [], [], []
            for number, (*key, group_ids) in enumerate(groups, start=1):
                ids += group_ids
                group_numbers += [number] * len(group_ids)
                next_fire_at, local_date = plans[tuple(key)]
                next_times.append(next_fire_at)
                local_dates.append(local_date)
                fired.append(key[2])
            cursor.execute(
                "WITH claimed AS (SELECT * FROM unnest(%s::bigint[], %s::int[]) AS c(id, g)), "
                "plan AS (SELECT * FROM unnest(%s::timestamptz[], %s::date[], %s::timestamptz[]) "
                "WITH ORDINALITY AS p(next_fire_at, local_date, fired, g)), "
                f"moved AS (UPDATE {reminders} AS r SET next_fire_at = p.next_fire_at "
                "FROM claimed AS c JOIN plan AS p ON p.g = c.g WHERE r.id = c.id "
                "RETURNING r.id, r.deliver_by, p.local_date, p.fired), "
                # One delivery per channel: "both" joins two rows of this small table.
                f"channels AS (SELECT * FROM (VALUES {CHANNEL_ROWS_SQL}) "
                "AS ch(deliver_by, channel)), "
                f"created AS (INSERT INTO {Delivery._meta.db_table} (reminder_id, channel, "
                "local_date, scheduled_for, status, attempts, next_attempt_at, last_error, "
                "created_at) SELECT m.id, ch.channel, m.local_date, m.fired, %s, 0, %s, '', %s "
                "FROM moved AS m JOIN channels AS ch ON ch.deliver_by = m.deliver_by "
                "ON CONFLICT (reminder_id, local_date, channel) DO NOTHING RETURNING id) "
                "SELECT array_agg(id) FROM created",
                [
                    ids,
                    group_numbers,
                    next_times,
                    local_dates,
                    fired,
                    Delivery.Status.PENDING,
                    now + DISPATCH_LEASE,
                    now,
                ],
            )
            (created,) = cursor.fetchone()
        return len(ids), sorted(created or [])

    def _set_next_fire_times(self, next_times: list[tuple[int, datetime | None]]) -> None:
        reminders = [Reminder(id=rid, next_fire_at=at) for rid, at in next_times]
        self.bulk_update(reminders, ["next_fire_at"], batch_size=500)


class Reminder(models.Model):
    class Kind(models.TextChoices):
        PRACTICE = "practice", "Practice nudge"
        CHECK_IN = "check_in", "Journal and FACES check-in"
        WEEKLY_SUMMARY = "weekly_summary", "Weekly summary"

    class DeliverBy(models.TextChoices):
        EMAIL = "email", "Email"
        PUSH = "push", "Push notification"
        BOTH = "both", "Email and push notification"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PRACTICE)
    local_time = models.TimeField(default=time(7, 30))
    days = models.PositiveSmallIntegerField(default=ALL_DAYS, help_text="Bit 0 is Monday.")
    # Never looked up by: an index would only slow the tick's 100,000 updates.
    practice_slug = models.SlugField(
        blank=True,
        db_index=False,
        help_text="The practice the nudge suggests; blank lets us choose.",
    )
    deliver_by = models.CharField(
        max_length=5, choices=DeliverBy.choices, default=DeliverBy.EMAIL, db_default="email"
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
        if self.deliver_by != self.DeliverBy.EMAIL and self.user_id is not None:
            if not push_is_configured():
                raise ValidationError({"deliver_by": "Push reminders aren't available here."})
            if not PushSubscription.objects.filter(user_id=self.user_id).exists():
                raise ValidationError(
                    {"deliver_by": "Turn on push notifications on a device first (below)."}
                )

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
        self, occurrences: list[tuple[int, date, datetime, str]], now: datetime
    ) -> None:
        """Insert (reminder id, local date, scheduled time, channel) deliveries; skip any
        that exist."""
        self.bulk_create(
            [
                Delivery(
                    reminder_id=rid,
                    local_date=day,
                    scheduled_for=at,
                    channel=channel,
                    next_attempt_at=now,
                )
                for rid, day, at, channel in occurrences
            ],
            ignore_conflicts=True,
            batch_size=500,
        )

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
        started = self.start_sending_many([delivery_id])
        return started[0] if started else None

    def start_sending_many(self, delivery_ids: list[int]) -> list["Delivery"]:
        """Compare-and-set PENDING to PREPARING for a batch, in one statement.

        Only the rows still PENDING move, so of two workers given the same ids
        each delivery goes to exactly one. Returns the won ones, with their
        reminder and person, in the order asked.
        """
        if not delivery_ids:
            return []
        claimed_at = timezone.now()
        table = Delivery._meta.db_table
        marks = ", ".join(["%s"] * len(delivery_ids))
        with connection.cursor() as cursor:
            # UPDATE ... RETURNING: PostgreSQL, and SQLite from 3.35.
            cursor.execute(
                f"UPDATE {table} SET status = %s, next_attempt_at = %s "
                f"WHERE status = %s AND id IN ({marks}) RETURNING id",
                [Delivery.Status.PREPARING, claimed_at, Delivery.Status.PENDING, *delivery_ids],
            )
            won = {row[0] for row in cursor.fetchall()}
        if not won:
            return []
        found = self.select_related("reminder__user").in_bulk(won)
        return [found[delivery_id] for delivery_id in delivery_ids if delivery_id in found]

    def send_many(self, delivery_ids: list[int], connection) -> int:
        """Claim, prepare and send a batch over one connection; how many were sent.

        The batch's data is read in a fixed number of queries, each email's
        hand-over is recorded on its own just before the mail server has it,
        and the outcomes are written together at the end.
        """
        from reminders.emails import Nudges

        deliveries = self.start_sending_many(delivery_ids)
        if not deliveries:
            return 0
        nudges = Nudges(deliveries)
        emails = [d for d in deliveries if d.channel == Delivery.Channel.EMAIL]
        settled = [d for d in emails if d.deliver(connection, timezone.now(), nudges)]
        pushes = [d for d in deliveries if d.channel == Delivery.Channel.PUSH]
        if pushes:
            settled += Delivery.deliver_pushes(pushes, nudges)
        self.record_outcomes(settled)
        return sum(delivery.status == Delivery.Status.SENT for delivery in settled)

    def record_outcomes(self, deliveries: list["Delivery"]) -> None:
        """Write what became of each delivery, in one statement on PostgreSQL."""
        fields = ["status", "attempts", "next_attempt_at", "last_error", "sent_at"]
        if not deliveries:
            return
        if connection.vendor != "postgresql":
            self.bulk_update(deliveries, fields, batch_size=200)
            return
        ids = [delivery.pk for delivery in deliveries]
        columns = [ids] + [[getattr(delivery, f) for delivery in deliveries] for f in fields]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Delivery._meta.db_table} AS d SET status = v.status, "
                "attempts = v.attempts, next_attempt_at = v.next_attempt_at, "
                "last_error = v.last_error, sent_at = v.sent_at "
                "FROM unnest(%s::bigint[], %s::varchar[], %s::smallint[], %s::timestamptz[], "
                "%s::varchar[], %s::timestamptz[]) "
                "AS v(id, status, attempts, next_attempt_at, last_error, sent_at) "
                "WHERE d.id = v.id",
                columns,
            )

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

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        PUSH = "push", "Push"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        PREPARING = "preparing", "Preparing to send"
        SENDING = "sending", "Handed to the mail server"
        SENT = "sent", "Sent"
        SKIPPED_DONE = "skipped_done", "Skipped: you'd already done it"
        SKIPPED_PAUSED = "skipped_paused", "Skipped: reminders paused"
        SKIPPED_OFF = "skipped_off", "Skipped: reminder turned off"
        SKIPPED_REST = "skipped_rest", "Skipped: a planned rest day"
        SKIPPED_NO_DEVICE = "skipped_no_device", "Skipped: no device has push turned on"
        FAILED = "failed", "Could not be delivered"

    # Indexed by the unique (reminder, local date, channel) constraint, which starts with it.
    reminder = models.ForeignKey(
        Reminder, on_delete=models.CASCADE, related_name="deliveries", db_index=False
    )
    local_date = models.DateField()
    channel = models.CharField(
        max_length=5, choices=Channel.choices, default=Channel.EMAIL, db_default="email"
    )
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
                fields=["reminder", "local_date", "channel"],
                name="one_delivery_per_reminder_day_channel",
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

    def reason_to_skip(self, nudges) -> "Delivery.Status | None":
        """Why this occurrence should not be sent, by any channel, or None to send it."""
        reminder = self.reminder
        preferences = nudges.preferences_of(reminder.user)
        if not reminder.enabled:
            return self.Status.SKIPPED_OFF
        if preferences.is_paused_on(self.local_date):
            return self.Status.SKIPPED_PAUSED
        if nudges.resting(self):
            return self.Status.SKIPPED_REST
        if preferences.skip_when_done and nudges.already_done(self):
            return self.Status.SKIPPED_DONE
        return None

    def deliver(self, connection, now: datetime, nudges) -> bool:
        """Send this occurrence, or decide why not. Called once it is PREPARING.

        Returns False when another worker took it over (leave it alone), else
        True with the outcome set on this object for the caller to save.
        """
        from reminders.handover import HandoverRefused, drop, send_with_handover

        skip = self.reason_to_skip(nudges)
        if skip is not None:
            self.status = skip
        else:
            try:
                send_with_handover(nudges.message(self, connection), connection, self._handing_over)
            except HandoverRefused:
                logger.warning("reminder delivery=%s taken over by another worker", self.pk)
                return False
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
            except Exception as error:
                # A fault of ours for one person (a template, say) must not hold up
                # the rest of the batch: back off like an SMTP error, with the trace
                # in the log.
                logger.exception("reminder delivery=%s could not be sent", self.pk)
                if self.status == self.Status.SENDING:
                    self.mark_sent(now, note=UNCONFIRMED)
                else:
                    self.retry_or_fail(f"{type(error).__name__}: {error}", now)
            else:
                self.mark_sent(now)
        return True

    @classmethod
    def deliver_pushes(cls, deliveries: list["Delivery"], nudges) -> list["Delivery"]:
        """Send a batch's push deliveries (each PREPARING) over one HTTP session.

        Returns those whose outcome is set for the caller to save (the ones
        another worker took over are left out).
        """
        from push.sending import PushSender

        if not push_is_configured():
            for delivery in deliveries:
                delivery.status = cls.Status.FAILED
                delivery.last_error = "Push isn't set up on this site."
            return deliveries
        with PushSender() as sender:
            return [d for d in deliveries if d.deliver_push(sender, timezone.now(), nudges)]

    def deliver_push(self, sender, now: datetime, nudges) -> bool:
        """Notify the person's devices, or decide why not. Called once it is PREPARING.

        The compare-and-set to SENDING comes before the first request: from then on
        a worker that dies leaves it counted as sent (at most once, as with email).
        """
        from reminders.handover import HandoverRefused

        skip = self.reason_to_skip(nudges)
        devices = nudges.push_subscriptions_of(self.reminder.user_id)
        if skip is not None:
            self.status = skip
            return True
        if not devices:
            self.status = self.Status.SKIPPED_NO_DEVICE
            return True
        try:
            self._handing_over()
        except HandoverRefused:
            logger.warning("reminder delivery=%s taken over by another worker", self.pk)
            return False
        outcome = sender.send(devices, nudges.push_payload(self))
        if outcome.gone:
            # The push service says these devices unsubscribed or expired.
            PushSubscription.objects.filter(pk__in=[s.pk for s in outcome.gone]).delete()
            nudges.forget_subscriptions(outcome.gone)
        if outcome.delivered:
            PushSubscription.objects.filter(pk__in=[s.pk for s in outcome.delivered]).update(
                last_success_at=now
            )
            # Devices that failed alone are not tried again: the others already have it.
            self.mark_sent(now)
        elif outcome.retry_error:
            self.retry_or_fail(outcome.retry_error, now)
        elif outcome.fault:
            self.attempts += 1
            self.status = self.Status.FAILED
            self.last_error = outcome.fault
        else:
            self.attempts += 1
            self.status = self.Status.SKIPPED_NO_DEVICE
        logger.info("reminder delivery=%s push status=%s", self.pk, self.status)
        return True

    def mark_sent(self, now: datetime, note: str = "") -> None:
        self.status = self.Status.SENT
        self.sent_at = now
        self.attempts += 1
        self.last_error = note

    def _handing_over(self) -> None:
        """Record, before the mail server can have the message, that it may have it."""
        from reminders.handover import HandoverRefused

        # The one write per email (outcomes are written per batch): plain SQL
        # spares building the same UPDATE through the ORM each time.
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Delivery._meta.db_table} SET status = %s, next_attempt_at = %s "
                "WHERE id = %s AND status = %s AND next_attempt_at = %s",
                [
                    self.Status.SENDING,
                    timezone.now(),
                    self.pk,
                    self.Status.PREPARING,
                    self.next_attempt_at,
                ],
            )
            moved = cursor.rowcount
        if not moved:
            raise HandoverRefused(self.pk)
        self.status = self.Status.SENDING
