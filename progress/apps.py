from django.apps import AppConfig, apps
from django.db.models.signals import post_delete, post_save

# Every model whose rows the dashboard reads. A save or delete of any of them
# bumps the owner's data version, which is part of the dashboard's cache key.
DASHBOARD_SOURCES = [
    "practices.PracticeSession",
    "journal.JournalEntry",
    "journal.NamedEmotion",
    "journal.FacesRating",
    "journal.IntegrationCheckIn",
    "journal.Rupture",
]


class ProgressConfig(AppConfig):
    name = "progress"

    def ready(self):
        for label in DASHBOARD_SOURCES:
            model = apps.get_model(label)
            uid = f"progress-data-changed-{label}"
            post_save.connect(data_changed, sender=model, dispatch_uid=uid + "-save")
            post_delete.connect(data_changed, sender=model, dispatch_uid=uid + "-delete")


def data_changed(sender, instance, origin=None, **kwargs):
    from accounts.models import User

    if isinstance(origin, User):
        return  # the whole account is being deleted: nothing left to cache
    User.objects.data_changed(instance.user_id)
