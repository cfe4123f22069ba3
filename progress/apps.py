from django.apps import AppConfig, apps

# Every model whose rows the dashboard reads. Any write to them, one row or
# many, bumps the owner's data version, which is part of the dashboard's cache
# key (accounts/freshness.py); tests/progress/test_dashboard_cache.py checks
# this list against the tables the dashboard really reads.
DASHBOARD_SOURCES = [
    "practices.PracticeSession",
    "practices.RestDay",
    "journal.JournalEntry",
    "journal.NamedEmotion",
    "journal.FacesRating",
    "journal.IntegrationCheckIn",
    "journal.Rupture",
]


class ProgressConfig(AppConfig):
    name = "progress"

    def ready(self) -> None:
        # Imported once models can be: freshness builds on an abstract model.
        from accounts.freshness import track_data_version

        track_data_version(*(apps.get_model(label) for label in DASHBOARD_SOURCES))
