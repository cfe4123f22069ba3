"""One of everything a person can keep, for the export and import tests."""

from datetime import UTC, date, datetime, timedelta

from tests.progress.factories import make_session
from tests.reminders.conftest import make_reminder


def make_rich_history(user, today: date):
    """One of everything a person can keep, with the awkward bits: notes, tags,
    re-rated feelings, a draft, a repaired rupture, reminders and sent emails."""
    from journal.models import RepairStatus
    from practices.models import RestDay
    from reminders.models import Delivery, ReminderPreferences
    from tests.journal.factories import make_check_in, make_entry, make_faces, make_rupture

    yesterday = today - timedelta(days=1)
    make_session(user, yesterday, minutes=12, before=3, after=7, notes="=SUM(A1) felt warm")
    session = make_session(user, today, minutes=5, slug="grounding", completed=False)
    session.grounding_answers = {"see": ["a lamp", "the window"]}
    session.save(update_fields=["grounding_answers"])
    entry = make_entry(
        user,
        "Walked by the river. Ça va.",
        local_date=yesterday,
        feelings=[("calm", 3, "chest"), ("anxious", 4)],
        tags=["walks", "evening"],
        prompt_key="river",
        prompt_text="What helped today?",
    )
    calm = entry.named_emotions.get(emotion__word="calm")
    calm.intensity_after = 2
    calm.save(update_fields=["intensity_after"])
    make_entry(user, "Half a thought", local_date=today, is_draft=True)
    make_faces(user, local_date=yesterday, score=4, note="Steady")
    RestDay.objects.plan(user, today - timedelta(days=3))
    check_in = make_check_in(user, chaos=6, rigidity=2, local_date=yesterday, note="Busy")
    check_in.integration_signs = ["pausing"]
    check_in.disintegration_signs = ["scattered"]
    check_in.save(update_fields=["integration_signs", "disintegration_signs"])
    make_rupture(
        user,
        ruptured_on=yesterday - timedelta(days=3),
        repaired_on=yesterday,
        felt=["frustrated"],
        my_part="I interrupted.",
        how_it_went="We laughed about it.",
    )
    make_rupture(
        user, relationship="my brother", ruptured_on=yesterday, repair_status=RepairStatus.PLANNED
    )
    reminder = make_reminder(user, practice_slug="body-scan")
    make_reminder(user, kind="weekly_summary", days=0b1000000, enabled=False)
    sent_at = datetime(yesterday.year, yesterday.month, yesterday.day, 6, 30, tzinfo=UTC)
    Delivery.objects.create(
        reminder=reminder,
        local_date=yesterday,
        scheduled_for=sent_at,
        next_attempt_at=sent_at,
        status=Delivery.Status.SENT,
        sent_at=sent_at,
        attempts=1,
    )
    ReminderPreferences.objects.create(user=user, paused_until=today + timedelta(days=3))
    user.hide_streaks = True
    user.save(update_fields=["hide_streaks"])
