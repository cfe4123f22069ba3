"""Random and hostile input to every form: never a 5xx, never live markup,
a clear 4xx when refused, and nothing half-saved."""

from django.core import mail
from hypothesis import given

from accounts.models import User
from reminders.models import Reminder, ReminderPreferences
from tests.fuzz.cases import FUZZ, SignedInCase
from tests.fuzz.hostile import hostile_form
from tests.reminders.conftest import make_reminder


class TestAccountForms(SignedInCase):
    @FUZZ
    @given(hostile_form(["display_name", "timezone"]))
    def test_settings(self, data):
        response = self.client.post("/accounts/settings/", data)
        self.assert_handled(response, self.client.get("/accounts/settings/"), self.client.get("/"))
        self.owner.refresh_from_db()
        if response.status_code == 400:
            assert (self.owner.display_name, self.owner.timezone) == ("Olive", "Europe/Berlin")

    @FUZZ
    @given(hostile_form(["email", "display_name", "timezone"]))
    def test_signup(self, data):
        self.client.logout()
        before = User.objects.count()
        sent = len(mail.outbox)
        response = self.client.post("/accounts/signup/", data)
        self.assert_handled(response)
        # Signing up creates nothing until the emailed link is used.
        assert User.objects.count() == before
        if response.status_code == 400:
            assert len(mail.outbox) == sent

    @FUZZ
    @given(hostile_form(["password1", "password2"]))
    def test_signup_finish(self, data):
        self.client.logout()
        token = User.objects.signup_token(
            email="fuzz.newcomer@example.org", display_name="", timezone="UTC"
        )
        before = User.objects.count()
        response = self.client.post(f"/accounts/signup/finish/{token}/", data)
        self.assert_handled(response)
        if response.status_code == 400:
            assert User.objects.count() == before

    @FUZZ
    @given(hostile_form(["username", "password"]))
    def test_login(self, data):
        self.client.logout()
        self.assert_handled(self.client.post("/accounts/login/", data))

    @FUZZ
    @given(hostile_form(["password"]))
    def test_delete_account(self, data):
        response = self.client.post("/accounts/delete/", data)
        self.assert_handled(response)
        assert User.objects.filter(pk=self.owner.pk).exists()  # no hostile value is the password


class TestReminderForms(SignedInCase):
    fields = ["kind", "local_time", "days", "practice_slug", "enabled"]

    @FUZZ
    @given(hostile_form(fields))
    def test_create(self, data):
        response = self.client.post("/reminders/new/", data, headers={"HX-Request": "true"})
        self.assert_handled(response, self.client.get("/reminders/"))
        if response.status_code == 400:
            assert not Reminder.objects.exists()

    @FUZZ
    @given(hostile_form(fields))
    def test_edit(self, data):
        reminder = make_reminder(self.owner)
        before = Reminder.objects.filter(pk=reminder.pk).values().get()
        response = self.client.post(f"/reminders/{reminder.public_id}/edit/", data)
        self.assert_handled(response, self.client.get("/reminders/"))
        if response.status_code == 400:
            assert Reminder.objects.filter(pk=reminder.pk).values().get() == before

    @FUZZ
    @given(hostile_form(["paused_until", "skip_when_done"]))
    def test_preferences(self, data):
        response = self.client.post("/reminders/preferences/", data)
        self.assert_handled(response, self.client.get("/reminders/"))
        if response.status_code == 400:
            assert not ReminderPreferences.objects.exists()


def journal_counts() -> tuple[int, ...]:
    from journal.models import FacesRating, IntegrationCheckIn, JournalEntry, NamedEmotion, Rupture

    models = (JournalEntry, NamedEmotion, FacesRating, IntegrationCheckIn, Rupture)
    return tuple(model.objects.count() for model in models)


class TestJournalForms(SignedInCase):
    entry_fields = [
        "local_date",
        "body",
        "tags",
        "prompt_key",
        "emotions",
        "intensity-calm",
        "body-calm",
        "intensity-anxious",
    ]

    def assert_refusal_saved_nothing(self, response, before):
        if response.status_code == 400:
            assert journal_counts() == before

    @FUZZ
    @given(hostile_form(entry_fields))
    def test_new_entry(self, data):
        before = journal_counts()
        response = self.client.post("/journal/new/", data)
        self.assert_handled(response, self.client.get("/journal/"))
        self.assert_refusal_saved_nothing(response, before)

    @FUZZ
    @given(hostile_form(entry_fields))
    def test_autosave(self, data):
        response = self.client.post("/journal/new/autosave/", data, headers={"HX-Request": "true"})
        self.assert_handled(response, self.client.get("/journal/"))

    @FUZZ
    @given(hostile_form(["flexible", "adaptive", "coherent", "energized", "stable", "note"]))
    def test_faces(self, data):
        before = journal_counts()
        response = self.client.post("/journal/faces/", data)
        self.assert_handled(response, self.client.get("/journal/faces/"))
        self.assert_refusal_saved_nothing(response, before)

    @FUZZ
    @given(hostile_form(["integration_signs", "disintegration_signs", "chaos", "rigidity", "note"]))
    def test_check_in(self, data):
        before = journal_counts()
        response = self.client.post("/journal/check-in/", data)
        self.assert_handled(response, self.client.get("/journal/check-in/"))
        self.assert_refusal_saved_nothing(response, before)

    @FUZZ
    @given(
        hostile_form(
            [
                "relationship",
                "ruptured_on",
                "what_happened",
                "felt",
                "my_part",
                "repair_status",
                "repaired_on",
                "how_it_went",
            ]
        )
    )
    def test_rupture(self, data):
        before = journal_counts()
        response = self.client.post("/journal/repair/new/", data)
        self.assert_handled(response, self.client.get("/journal/repair/"))
        self.assert_refusal_saved_nothing(response, before)

    @FUZZ
    @given(
        hostile_form(["q", "kind", "emotion", "quadrant", "tag", "date_from", "date_to", "page"])
    )
    def test_search(self, data):
        self.assert_handled(self.client.get("/journal/search/", data))
