"""The reminder email's content, built without sending."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reminders.emails import reminder_message
from reminders.models import Delivery
from tests.reminders.conftest import make_reminder

pytestmark = pytest.mark.django_db


def practise_on_the_last_days(user, days: int):
    from practices.models import Practice, PracticeSession

    practice = Practice.objects.order_by("slug")[0]
    today = user.local_today()
    for back in range(days):
        started = timezone.now() - timedelta(days=back, minutes=10)
        PracticeSession.objects.create(
            user=user,
            practice=practice,
            started_at=started,
            ended_at=started,
            seconds_practised=600,
            completed=True,
            local_date=today - timedelta(days=back),
        )


def message_for(user, kind="check_in"):
    reminder = make_reminder(user, kind=kind)
    delivery = Delivery.objects.create(
        reminder=reminder,
        local_date=user.local_today(),
        scheduled_for=timezone.now(),
        next_attempt_at=timezone.now(),
    )
    return reminder_message(delivery)


def test_the_email_mentions_the_streak_and_strength(owner):
    practise_on_the_last_days(owner, 3)
    message = message_for(owner)
    assert "You've practised 3 days in a row." in message.body
    assert "Your practice strength is" in message.body


def test_hidden_streaks_stay_hidden_in_emails(owner):
    owner.hide_streaks = True
    owner.save()
    practise_on_the_last_days(owner, 3)
    message = message_for(owner)
    html = message.alternatives[0][0]
    for part in (message.body, html):
        assert "in a row" not in part
        assert "practice strength" in part


AWKWARD_NAME = 'Sam <&> "Quotes"'


@pytest.mark.parametrize("kind", ["practice", "check_in", "weekly_summary"])
def test_a_name_with_markup_characters_reads_as_typed_in_subject_and_text(owner, kind):
    owner.display_name = AWKWARD_NAME
    owner.save()
    message = message_for(owner, kind)
    assert message.subject.startswith(f"{AWKWARD_NAME}, ")
    assert f"Hello {AWKWARD_NAME}," in message.body
    for part in (message.subject, message.body):
        assert "&lt;" not in part and "&amp;" not in part and "&quot;" not in part
    # The HTML part still escapes it, so the name can never become markup.
    html = message.alternatives[0][0]
    assert "Sam &lt;&amp;&gt; &quot;Quotes&quot;" in html
    assert AWKWARD_NAME not in html


@pytest.mark.parametrize("kind", ["practice", "check_in", "weekly_summary"])
def test_without_a_chosen_name_nothing_of_the_address_greets_the_person(kind):
    from tests.conftest import make_user

    person = make_user("ash.stone84@example.com", timezone="Europe/Berlin")
    message = message_for(person, kind=kind)
    text = message.body
    html = message.alternatives[0][0]
    assert "ash" not in message.subject.lower()
    assert message.subject[0].isupper()
    assert text.startswith("Hello,") and "ash.stone84" not in text
    assert "<p>Hello,</p>" in html
