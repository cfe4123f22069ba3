"""Reminders, their emails and the reminder settings in a person's data file
(see portability.registry)."""

from django.core.exceptions import ValidationError

from portability.registry import Kind, Parent, Shape, register, same_names
from reminders.models import MAX_REMINDERS_PER_PERSON, Delivery, Reminder, ReminderPreferences

# Emails still waiting to be sent belong to the old account's schedule.
FINISHED_DELIVERY_STATUSES = frozenset(Delivery.Status) - {
    Delivery.Status.PENDING,
    Delivery.Status.SENDING,
}


def is_finished(delivery: Delivery) -> bool:
    return delivery.status in FINISHED_DELIVERY_STATUSES


def schedule(reminder: Reminder) -> None:
    # The next firing is worked out again from the time, the days and the account's zone.
    reminder.reschedule()
    # Devices don't move with a file: without one here, a push reminder comes by email.
    try:
        reminder.clean()
    except ValidationError:
        reminder.deliver_by = Reminder.DeliverBy.EMAIL


REMINDER_PREFERENCES = Kind(
    key="reminder_preferences",
    label="Reminder settings",
    model=ReminderPreferences,
    shape=Shape.SETTINGS,
    order=1,
    columns=same_names("paused_until", "skip_when_done"),
    restore=("paused_until", "skip_when_done"),
    left_out=frozenset({"id", "user"}),
)
REMINDERS = Kind(
    key="reminders",
    label="Reminders",
    model=Reminder,
    order=60,
    columns={
        "id": "public_id",
        **same_names(
            "kind", "local_time", "days", "practice_slug", "deliver_by", "enabled", "created_at"
        ),
    },
    export_order=("created_at", "id"),
    keep_times=("created_at",),
    most_per_person=MAX_REMINDERS_PER_PERSON,
    prepare=schedule,
    left_out=frozenset({"id", "user", "next_fire_at"}),
)
DELIVERIES = Kind(
    key="reminder_deliveries",
    label="Reminder emails",
    model=Delivery,
    order=61,
    columns={
        "reminder": "reminder__public_id",
        **same_names(
            "local_date",
            "channel",
            "scheduled_for",
            "status",
            "attempts",
            "sent_at",
            "last_error",
            "next_attempt_at",
            "created_at",
        ),
    },
    parent=Parent("reminders", "reminder", noun="reminder"),
    export_order=("scheduled_for", "id"),
    keep_times=("created_at",),
    unique_in_file=(
        ("reminder", "local_date", "channel"),
        "this reminder has two deliveries on one day by the same channel.",
    ),
    importable=is_finished,
    left_out=frozenset({"id"}),
)

register(REMINDER_PREFERENCES, REMINDERS, DELIVERIES)
