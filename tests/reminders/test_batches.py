"""Sending in batches: a batch's data in a fixed number of queries, one claim and
one outcome write per batch, and the hand-over before the final dot per email."""

import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import get_connection
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reminders.emails import Nudges, reminder_message
from reminders.models import Delivery, ReminderPreferences
from tests.conftest import make_user
from tests.reminders.conftest import make_reminder

pytestmark = pytest.mark.django_db

KINDS = ["practice", "check_in", "weekly_summary"]


def deliveries_for(count: int, label: str) -> list[int]:
    """`count` people, one due delivery each, the three kinds in turn."""
    ids = []
    for n in range(count):
        person = make_user(f"{label}{n}@example.com", timezone="Europe/Berlin")
        reminder = make_reminder(person, kind=KINDS[n % len(KINDS)])
        ids.append(
            Delivery.objects.create(
                reminder=reminder,
                local_date=person.local_today(),
                scheduled_for=timezone.now(),
                next_attempt_at=timezone.now(),
            ).id
        )
    return ids


def practise_today(user, minutes: int = 5):
    from practices.models import Practice, PracticeSession

    now = timezone.now()
    return PracticeSession.objects.create(
        user=user,
        practice=Practice.objects.order_by("slug")[0],
        started_at=now - timedelta(minutes=minutes),
        ended_at=now,
        seconds_practised=minutes * 60,
        completed=True,
        local_date=user.local_today(),
    )


def queries_to_send(ids: list[int]) -> int:
    with CaptureQueriesContext(connection) as queries:
        sent = Delivery.objects.send_many(ids, get_connection())
    assert sent == len(ids)
    return len(queries)


def test_a_batch_costs_its_fixed_queries_plus_one_hand_over_per_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    few, many = deliveries_for(3, "few"), deliveries_for(24, "many")

    few_queries, many_queries = queries_to_send(few), queries_to_send(many)

    # The claim, the batch's data and the outcomes don't grow with the batch;
    # the compare-and-set before each email's final dot does, by one each.
    assert many_queries - few_queries == len(many) - len(few)
    assert few_queries - len(few) <= 11
    assert len(mail.outbox) == 27
    statuses = set(Delivery.objects.values_list("status", "attempts"))
    assert statuses == {("sent", 1)}


def test_outcomes_of_a_batch_are_written_each_to_its_own_delivery(settings):
    from journal.models import JournalEntry

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    practice, check_in, weekly = deliveries_for(3, "mixed")
    done = Delivery.objects.get(id=practice).reminder.user
    practise_today(done)
    paused = Delivery.objects.get(id=check_in).reminder.user
    ReminderPreferences.objects.create(user=paused, paused_until=paused.local_today())
    # A deleted entry is not a check-in: the weekly person wrote one and took it back.
    weekly_person = Delivery.objects.get(id=weekly).reminder.user
    JournalEntry.objects.create(
        user=weekly_person, local_date=weekly_person.local_today(), deleted_at=timezone.now()
    )

    assert Delivery.objects.send_many([practice, check_in, weekly], get_connection()) == 1

    outcome = dict(Delivery.objects.values_list("id", "status"))
    assert outcome == {practice: "skipped_done", check_in: "skipped_paused", weekly: "sent"}
    assert [message.to for message in mail.outbox] == [[weekly_person.email]]


def test_a_deleted_entry_does_not_count_as_checking_in(settings):
    from journal.models import JournalEntry

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    (_, check_in) = deliveries_for(2, "deleted")
    person = Delivery.objects.get(id=check_in).reminder.user
    JournalEntry.objects.create(
        user=person, local_date=person.local_today(), deleted_at=timezone.now()
    )
    Delivery.objects.send_many([check_in], get_connection())
    assert Delivery.objects.get(id=check_in).status == "sent"
    JournalEntry.objects.create(user=person, local_date=person.local_today())
    Delivery.objects.filter(id=check_in).update(status="pending")
    Delivery.objects.send_many([check_in], get_connection())
    assert Delivery.objects.get(id=check_in).status == "skipped_done"


def test_two_workers_given_the_same_batch_claim_each_delivery_once():
    ids = deliveries_for(6, "claim")
    first = Delivery.objects.start_sending_many(ids[:4])
    second = Delivery.objects.start_sending_many(ids)

    assert [d.id for d in first] == ids[:4]
    assert [d.id for d in second] == ids[4:]
    assert Delivery.objects.start_sending_many(ids) == []
    assert set(Delivery.objects.values_list("status", flat=True)) == {"preparing"}


def test_each_person_in_a_batch_gets_their_own_week_and_streak():
    from journal.models import FacesRating

    ids = deliveries_for(6, "weeks")
    weekly = [Delivery.objects.select_related("reminder__user").get(id=i) for i in ids[2::3]]
    busy, quiet = (delivery.reminder.user for delivery in weekly)
    practise_today(busy, minutes=20)
    FacesRating.objects.create(
        user=busy,
        local_date=busy.local_today(),
        flexible=4,
        adaptive=4,
        coherent=4,
        energized=2,
        stable=4,
    )
    # Outside the week: eight days ago counts for the streak's history, not the week.
    old = practise_today(quiet, minutes=30)
    old.local_date = quiet.local_today() - timedelta(days=8)
    old.save()

    nudges = Nudges(weekly)
    busy_week, quiet_week = (nudges.weeks[delivery.pk] for delivery in weekly)
    assert (busy_week["minutes"], busy_week["sessions"]) == (20, 1)
    assert busy_week["faces"]["energized"] == 2.0 and busy_week["faces"]["ratings"] == 1
    assert (quiet_week["minutes"], quiet_week["sessions"]) == (0, 0)
    assert quiet_week["faces"]["ratings"] == 0 and quiet_week["faces"]["stable"] is None
    # The same figures as a batch of one.
    alone = reminder_message(weekly[0])
    assert "20 minutes in 1 session" in alone.body
    assert "20 minutes in 1 session" in nudges.message(weekly[0]).body
    assert "0 minutes in 0 sessions" in nudges.message(weekly[1]).body


def test_the_final_dot_is_not_held_back_by_nagles_algorithm(smtp_sink):
    from django.core.mail import EmailMessage

    from reminders.handover import send_with_handover

    connection_ = get_connection()
    message = EmailMessage("Pause", "Body", "hello@localhost", ["olive@example.com"])
    send_with_handover(message, connection_, lambda: None)
    sock = connection_.connection.sock
    assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    connection_.close()


def due_people(count: int, label: str) -> None:
    zones = ["Europe/Berlin", "America/New_York", "Asia/Kolkata"]
    for n in range(count):
        person = make_user(f"{label}{n}@example.com", timezone=zones[n % len(zones)])
        reminder = make_reminder(person, kind=KINDS[n % len(KINDS)])
        reminder.next_fire_at = timezone.now() - timedelta(minutes=n % 2)
        reminder.save()


def test_claiming_costs_the_same_queries_for_five_due_or_fifty():
    from reminders.models import Reminder

    costs = []
    for count, label in ((5, "five"), (50, "fifty")):
        due_people(count, label)
        with CaptureQueriesContext(connection) as queries:
            claimed, leased = Reminder.objects.claim_due(timezone.now(), limit=1000)
        assert claimed == count
        costs.append(len(queries))
    assert costs[0] == costs[1]
    # Each claimed reminder moved to a later firing and has one delivery.
    assert not Reminder.objects.due(timezone.now()).exists()
    assert Delivery.objects.count() == 55


def test_one_email_that_cannot_be_built_does_not_hold_up_the_batch(settings, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    ids = deliveries_for(3, "broken")
    broken = Delivery.objects.get(id=ids[1]).reminder.user
    build = Nudges.message

    def fails_for_one_person(self, delivery, connection=None):
        if delivery.reminder.user == broken:
            raise KeyError("a template variable went missing")
        return build(self, delivery, connection)

    monkeypatch.setattr(Nudges, "message", fails_for_one_person)
    assert Delivery.objects.send_many(ids, get_connection()) == 2

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        Delivery.objects.get(id=i).reminder.user.email for i in (ids[0], ids[2])
    )
    failed = Delivery.objects.get(id=ids[1])
    assert (failed.status, failed.attempts) == ("pending", 1)
    assert "KeyError" in failed.last_error
    assert failed.next_attempt_at > timezone.now()
