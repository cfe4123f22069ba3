from django.apps import AppConfig


class SharingConfig(AppConfig):
    """A read-only link to a person's report, for their therapist, and who opened it."""

    name = "sharing"
