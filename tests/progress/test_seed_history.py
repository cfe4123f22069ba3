from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from journal.models import FacesRating, JournalEntry, NamedEmotion
from practices.models import PracticeSession
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_history", *args, stdout=out)
    return out.getvalue()


def test_it_fills_months_of_history_once(owner, stranger, time_machine):
    time_machine.move_to(datetime(2026, 11, 24, 15, 0, tzinfo=UTC), tick=False)
    output = seed("--email", owner.email)
    assert "sample records over 120 days" in output
    sessions = PracticeSession.objects.for_user(owner)
    dates = sorted(set(sessions.values_list("local_date", flat=True)))
    # Up to yesterday: today is left for the person to practise.
    assert owner.local_today() - timedelta(days=7) <= dates[-1] < owner.local_today()
    assert (dates[-1] - dates[0]).days > 100
    assert FacesRating.objects.for_user(owner).count() > 40
    assert NamedEmotion.objects.for_user(owner).count() > 20
    made = (sessions.count(), JournalEntry.objects.for_user(owner).count())

    assert "already has practice history; nothing added" in seed("--email", owner.email)
    assert (sessions.count(), JournalEntry.objects.for_user(owner).count()) == made
    assert PracticeSession.objects.for_user(stranger).count() == 0


def test_the_demo_account_is_the_default(db):
    demo = make_user("demo@example.com")
    seed("--days", "10")
    assert PracticeSession.objects.for_user(demo).exists()


def test_an_unknown_account_is_an_error(db):
    with pytest.raises(CommandError, match="There is no account for nobody@example.com"):
        seed("--email", "nobody@example.com")


def test_years_of_history_with_gaps_journal_faces_check_ins_and_ruptures(owner, time_machine):
    from journal.models import IntegrationCheckIn, Rupture

    time_machine.move_to(datetime(2026, 11, 24, 15, 0, tzinfo=UTC), tick=False)
    output = seed("--email", owner.email, "--years", "5")
    assert f"over {5 * 365} days" in output
    sessions = PracticeSession.objects.for_user(owner)
    dates = sorted(set(sessions.values_list("local_date", flat=True)))
    today = owner.local_today()
    assert dates[0] <= today - timedelta(days=5 * 365 - 7)
    # Daily practice, with gaps.
    assert 0.4 * 5 * 365 < len(dates) < 0.95 * 5 * 365
    assert sessions.exclude(before_emotion="").exists()
    assert FacesRating.objects.for_user(owner).count() > 500
    assert IntegrationCheckIn.objects.for_user(owner).count() > 300
    assert JournalEntry.objects.for_user(owner).count() > 300
    assert Rupture.objects.for_user(owner).repaired().count() > 20


def test_years_must_be_a_whole_positive_number(owner):
    with pytest.raises(CommandError, match="--years must be at least 1"):
        seed("--email", owner.email, "--years", "0")
