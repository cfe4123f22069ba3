"""What every hostile-input test shares: a signed-in person per example, and the checks."""

from django.core.cache import cache
from hypothesis import HealthCheck, settings
from hypothesis.extra.django import TestCase

from accounts.models import User
from tests.conftest import PASSWORD, ensure_reference_data
from tests.fuzz.hostile import markup_survived

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# For endpoints that render several pages or build data per example.
SLOW = settings(FUZZ, max_examples=20)

HTMX = {"HX-Request": "true"}


def htmx_headers(htmx: bool) -> dict:
    return HTMX if htmx else {}


def rows(model, **filters) -> list[dict]:
    """Every column of every matching row, in a stable order: a before/after snapshot."""
    return list(model._base_manager.filter(**filters).order_by("pk").values())


def everything(user) -> dict[str, list[dict]]:
    """All a person keeps, row by row, soft-deleted rows and links included."""
    from journal.models import (
        FacesRating,
        IntegrationCheckIn,
        JournalEntry,
        NamedEmotion,
        Rupture,
        Tag,
    )
    from portability.models import PendingImport
    from practices.models import PracticeSession
    from reminders.models import Delivery, Reminder, ReminderPreferences

    owned = (
        PracticeSession,
        JournalEntry,
        NamedEmotion,
        Tag,
        FacesRating,
        IntegrationCheckIn,
        Rupture,
        Reminder,
        ReminderPreferences,
        PendingImport,
    )
    snapshot = {model.__name__: rows(model, user=user) for model in owned}
    snapshot["Delivery"] = rows(Delivery, reminder__user=user)
    snapshot["entry tags"] = rows(JournalEntry.tags.through, journalentry__user=user)
    snapshot["rupture feelings"] = rows(Rupture.felt.through, rupture__user=user)
    snapshot["User"] = rows(User, pk=user.pk)
    return snapshot


class SignedInCase(TestCase):
    """Each example runs in its own rolled-back transaction with a fresh client."""

    @classmethod
    def setUpTestData(cls):
        # The catalog and the feeling words come from data migrations; a flush by a
        # transactional test elsewhere in the run may have removed them.
        ensure_reference_data()

    def setup_example(self):
        super().setup_example()
        cache.clear()  # the dashboard caches per person, and ids come round again
        self.owner = User.objects.create_user(
            "owner@example.com", PASSWORD, display_name="Olive", timezone="Europe/Berlin"
        )
        self.client.force_login(self.owner)

    def assert_handled(self, response, *pages):
        """Never a server error, and nothing we sent comes back as live markup."""
        assert response.status_code < 500, response.status_code
        for page in (response, *pages):
            assert page.status_code < 500, page.status_code
            assert not markup_survived(page.content.decode())

    def assert_explained(self, response):
        """A refused form says why, next to the field or above the form."""
        if response.status_code == 400:
            html = response.content.decode()
            assert any(
                mark in html
                for mark in ('class="errorlist', 'class="form-errors"', "autosave-error")
            ), html[-3000:]

    def get(self, url: str, data=None, **kwargs):
        response = self.client.get(url, data, **kwargs)
        assert response.status_code < 500, (url, response.status_code)
        return response
