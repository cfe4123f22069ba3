from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_save


class RemindersConfig(AppConfig):
    name = "reminders"

    def ready(self):
        post_save.connect(
            reschedule_after_timezone_change,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="reminders-follow-timezone",
        )


def reschedule_after_timezone_change(sender, instance, update_fields=None, **kwargs):
    """Reminders follow a person who travels: 07:30 stays 07:30 where they are."""
    if update_fields is not None and "timezone" not in update_fields:
        return
    from reminders.models import Reminder

    reminders = list(Reminder.objects.for_user(instance).filter(enabled=True))
    for reminder in reminders:
        reminder.user = instance
        reminder.reschedule()
    Reminder.objects.bulk_update(reminders, ["next_fire_at"])
