"""End to end with real parts: the tick, a Celery worker on the configured
broker (Redis in CI, the file broker otherwise) and an SMTP server on loopback."""

import re
import threading
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from ipnb_site.celery import app
from reminders.models import Delivery, Reminder, ReminderPreferences
from reminders.tasks import run_tick
from tests.conftest import make_user
from tests.reminders.conftest import make_reminder
from tests.waiting import settled, wait_for

# Serialized rollback keeps the seeded practice catalog and emotion vocabulary.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def worker(smtp_sink):
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield


def due_reminder(user, **fields) -> Reminder:
    reminder = make_reminder(user, **fields)
    Reminder.objects.filter(pk=reminder.pk).update(
        next_fire_at=timezone.now() - timedelta(seconds=1)
    )
    return reminder


def complete_a_practice_today(user):
    from practices.models import Practice, PracticeSession

    now = timezone.now()
    return PracticeSession.objects.create(
        user=user,
        practice=Practice.objects.order_by("slug").first(),
        started_at=now - timedelta(minutes=5),
        ended_at=now,
        seconds_practised=300,
        completed=True,
        local_date=user.local_today(),
    )


def delivery_for(reminder) -> Delivery:
    return Delivery.objects.get(reminder=reminder)


def test_a_due_practice_nudge_arrives_once_and_well_formed(owner, smtp_sink, worker, client):
    from journal.prompts import prompt_for
    from practices.models import Practice

    practice = Practice.objects.order_by("slug").first()
    reminder = due_reminder(owner, kind="practice", practice_slug=practice.slug)
    run_tick()
    assert wait_for(lambda: smtp_sink.count() == 1)
    run_tick()
    assert settled(lambda: smtp_sink.count() == 1)

    message = smtp_sink.messages[0]
    assert message["To"] == owner.email
    assert message["Subject"] == f"Olive, a few minutes for {practice.name.lower()}?"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = re.fullmatch(r"<(.+)>", message["List-Unsubscribe"].strip()).group(1)
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    practice_url = f"{settings.SITE_URL}/practices/{practice.slug}/"
    prompt = prompt_for(owner, delivery_for(reminder).local_date)
    for part in (text, html):
        assert "Hello Olive" in part
        assert practice_url in part
        assert unsubscribe_url in part
        assert f"{settings.SITE_URL}/reminders/" in part
    assert prompt.text in text
    # The server keeps the message before it answers; the worker records "sent" after.
    assert wait_for(lambda: delivery_for(reminder).status == "sent")

    # The practice link opens that practice for the person.
    client.force_login(owner)
    assert client.get(urlparse(practice_url).path).status_code == 200
    # The one-click header works with no session and no CSRF token.
    Client(enforce_csrf_checks=True).post(
        urlparse(unsubscribe_url).path, {"List-Unsubscribe": "One-Click"}
    )
    reminder.refresh_from_db()
    assert reminder.enabled is False


def test_no_nudge_on_a_day_already_practised(owner, smtp_sink, worker):
    complete_a_practice_today(owner)
    reminder = due_reminder(owner, kind="practice")
    run_tick()
    assert wait_for(lambda: delivery_for(reminder).status == "skipped_done")
    assert smtp_sink.count() == 0


def test_the_nudge_still_comes_when_skipping_is_turned_off(owner, smtp_sink, worker):
    complete_a_practice_today(owner)
    ReminderPreferences.objects.create(user=owner, skip_when_done=False)
    reminder = due_reminder(owner, kind="practice")
    run_tick()
    assert wait_for(lambda: smtp_sink.count() == 1)
    # The server keeps the message before it answers; the worker records "sent" after.
    assert wait_for(lambda: delivery_for(reminder).status == "sent")


def test_nothing_is_sent_while_paused(owner, smtp_sink, worker):
    ReminderPreferences.objects.create(user=owner, paused_until=owner.local_today())
    reminder = due_reminder(owner, kind="check_in")
    run_tick()
    assert wait_for(lambda: delivery_for(reminder).status == "skipped_paused")
    assert smtp_sink.count() == 0


def test_a_check_in_nudge_links_the_journal_and_faces(owner, smtp_sink, worker):
    due_reminder(owner, kind="check_in")
    run_tick()
    assert wait_for(lambda: smtp_sink.count() == 1)
    text = smtp_sink.messages[0].get_body(("plain",)).get_content()
    assert f"{settings.SITE_URL}/journal/" in text
    assert "Rate FACES for today" in text


def test_the_weekly_summary_gives_minutes_sessions_and_faces(owner, smtp_sink, worker):
    from journal.models import FacesRating

    complete_a_practice_today(owner)
    FacesRating.objects.create(
        user=owner,
        local_date=owner.local_today(),
        flexible=4,
        adaptive=3,
        coherent=5,
        energized=2,
        stable=4,
    )
    ReminderPreferences.objects.create(user=owner, skip_when_done=True)
    due_reminder(owner, kind="weekly_summary")
    run_tick()
    assert wait_for(lambda: smtp_sink.count() == 1)
    message = smtp_sink.messages[0]
    assert message["Subject"] == "Olive, your week: 5 minutes of practice"
    text = message.get_body(("plain",)).get_content()
    assert "5 minutes in 1 session" in text
    assert "Coherent: 5.0" in text and "Energized: 2.0" in text


def test_smtp_down_retries_and_delivers_once_when_it_returns(owner, smtp_sink, worker):
    smtp_sink.refuse = True
    reminder = due_reminder(owner, kind="check_in")
    run_tick()
    assert wait_for(lambda: delivery_for(reminder).attempts == 1)
    delivery = delivery_for(reminder)
    assert delivery.status == "pending"
    assert "451" in delivery.last_error
    assert timedelta(seconds=50) < delivery.next_attempt_at - timezone.now() <= timedelta(minutes=1)

    smtp_sink.refuse = False
    assert run_tick()["dispatched"] == 0  # not before its back-off has passed
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    run_tick()
    assert wait_for(lambda: smtp_sink.count() == 1)
    run_tick()
    assert settled(lambda: smtp_sink.count() == 1)
    # The server keeps the message before it answers; the worker records "sent" after.
    assert wait_for(lambda: delivery_for(reminder).status == "sent")


def test_two_ticks_at_once_send_each_email_once(smtp_sink, worker):
    people = [make_user(f"p{n}@example.com", timezone="Asia/Kolkata") for n in range(12)]
    for person in people:
        due_reminder(person, kind="check_in")
    barrier = threading.Barrier(2)

    def tick():
        barrier.wait()
        run_tick()
        connection.close()

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wait_for(lambda: smtp_sink.count() == 12)
    assert settled(lambda: smtp_sink.count() == 12)
    assert sorted(m["To"] for m in smtp_sink.messages) == sorted(p.email for p in people)
