import threading
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import connection

from reminders.models import Delivery, Reminder
from reminders.schedule import WEEKDAYS
from reminders.tasks import run_tick
from tests.conftest import make_user
from tests.reminders.conftest import make_reminder


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


@pytest.fixture
def no_broker(monkeypatch):
    """Record what the tick hands to the broker instead of publishing it."""
    published: list[list[int]] = []
    monkeypatch.setattr("reminders.tasks.send_deliveries.delay", published.append)
    return published


@pytest.mark.django_db
def test_a_due_reminder_is_claimed_once_and_moves_to_its_next_day(owner, time_machine, no_broker):
    time_machine.move_to(utc(2026, 11, 23, 12), tick=False)  # a Monday
    reminder = make_reminder(owner, local_time=time(7, 30), days=WEEKDAYS)
    assert reminder.next_fire_at == utc(2026, 11, 24, 6, 30)  # 07:30 in Berlin (CET)

    time_machine.move_to(utc(2026, 11, 24, 6, 30, 20), tick=False)
    counts = run_tick()
    assert counts["claimed"] == 1 and counts["dispatched"] == 1
    delivery = Delivery.objects.get()
    assert (delivery.local_date, delivery.status) == (date(2026, 11, 24), "pending")
    assert no_broker == [[delivery.id]]
    reminder.refresh_from_db()
    assert reminder.next_fire_at == utc(2026, 11, 25, 6, 30)

    assert run_tick()["claimed"] == 0  # the next minute: nothing new
    assert Delivery.objects.count() == 1


@pytest.mark.django_db
def test_nothing_is_claimed_before_its_time(owner, time_machine, no_broker):
    time_machine.move_to(utc(2026, 11, 23, 12), tick=False)
    make_reminder(owner, local_time=time(7, 30))
    time_machine.move_to(utc(2026, 11, 24, 6, 29, 59), tick=False)
    assert run_tick()["claimed"] == 0
    assert not Delivery.objects.exists()


@pytest.mark.django_db
def test_a_turned_off_reminder_is_never_due(owner, time_machine, no_broker):
    time_machine.move_to(utc(2026, 11, 23, 12), tick=False)
    reminder = make_reminder(owner, enabled=False)
    assert reminder.next_fire_at is None
    time_machine.move_to(utc(2026, 11, 30), tick=False)
    assert run_tick()["claimed"] == 0


@pytest.mark.django_db
def test_missed_firings_are_not_all_sent_late(owner, time_machine, no_broker):
    time_machine.move_to(utc(2026, 11, 20, 12), tick=False)
    reminder = make_reminder(owner, local_time=time(7, 30))
    # Nothing ran for three days: one late delivery, then back on schedule.
    time_machine.move_to(utc(2026, 11, 24, 9), tick=False)
    assert run_tick()["claimed"] == 1
    reminder.refresh_from_db()
    assert reminder.next_fire_at == utc(2026, 11, 25, 6, 30)


@pytest.mark.django_db
def test_changing_time_zone_moves_reminders_with_the_person(owner, time_machine):
    time_machine.move_to(utc(2026, 11, 23, 12), tick=False)
    reminder = make_reminder(owner, local_time=time(7, 30))
    owner.timezone = "Asia/Kolkata"
    owner.save()
    reminder.refresh_from_db()
    assert reminder.next_fire_at == utc(2026, 11, 24, 2, 0)  # 07:30 IST


@pytest.mark.django_db
def test_when_the_broker_is_down_deliveries_wait_for_the_next_tick(
    owner, time_machine, monkeypatch
):
    time_machine.move_to(utc(2026, 11, 23, 12), tick=False)
    make_reminder(owner)
    time_machine.move_to(utc(2026, 11, 24, 6, 31), tick=False)

    def broker_down(ids):
        raise ConnectionRefusedError("broker unreachable")

    monkeypatch.setattr("reminders.tasks.send_deliveries.delay", broker_down)
    counts = run_tick()
    assert counts["claimed"] == 1 and counts["undispatched"] == 1
    delivery = Delivery.objects.get()
    assert delivery.status == "pending" and delivery.next_attempt_at <= datetime.now(UTC)

    published = []
    monkeypatch.setattr("reminders.tasks.send_deliveries.delay", published.append)
    time_machine.move_to(utc(2026, 11, 24, 6, 32), tick=False)
    counts = run_tick()
    assert counts == {"claimed": 0, "dispatched": 1, "undispatched": 0, "interrupted": 0}
    assert published == [[delivery.id]]


@pytest.mark.django_db
def test_a_leased_delivery_is_not_handed_over_twice(owner, time_machine, no_broker):
    time_machine.move_to(utc(2026, 11, 23, 12), tick=False)
    make_reminder(owner)
    time_machine.move_to(utc(2026, 11, 24, 6, 31), tick=False)
    run_tick()
    time_machine.move_to(utc(2026, 11, 24, 6, 32), tick=False)
    run_tick()
    assert len(no_broker) == 1


@pytest.mark.django_db
def test_a_send_cut_off_before_the_mail_server_had_it_is_sent_again(owner, time_machine, no_broker):
    time_machine.move_to(utc(2026, 11, 23, 12), tick=False)
    make_reminder(owner)
    time_machine.move_to(utc(2026, 11, 24, 6, 31), tick=False)
    run_tick()
    delivery = Delivery.objects.get()
    assert Delivery.objects.start_sending(delivery.id) is not None
    assert Delivery.objects.start_sending(delivery.id) is None  # only one sender wins
    # The worker dies while preparing; after 15 quiet minutes the next tick resends.
    time_machine.move_to(utc(2026, 11, 24, 6, 50), tick=False)
    assert run_tick()["interrupted"] == 1
    delivery.refresh_from_db()
    assert delivery.status == "pending"
    assert no_broker == [[delivery.id], [delivery.id]]


@pytest.mark.django_db
def test_a_send_cut_off_after_the_mail_server_had_it_counts_as_sent_and_is_not_resent(
    owner, time_machine, no_broker
):
    time_machine.move_to(utc(2026, 11, 23, 12), tick=False)
    make_reminder(owner)
    time_machine.move_to(utc(2026, 11, 24, 6, 31), tick=False)
    run_tick()
    delivery = Delivery.objects.start_sending(Delivery.objects.get().id)
    delivery._handing_over()  # the whole message is with the server; then the worker dies
    time_machine.move_to(utc(2026, 11, 24, 6, 50), tick=False)
    assert run_tick()["interrupted"] == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.sent_at) == ("sent", utc(2026, 11, 24, 6, 31))
    assert "didn't get to confirm" in delivery.last_error
    assert len(no_broker) == 1


@pytest.mark.django_db
def test_smtp_errors_back_off_then_fail_after_about_six_hours(owner, time_machine):
    time_machine.move_to(utc(2026, 11, 23, 12), tick=False)
    reminder = make_reminder(owner)
    scheduled = utc(2026, 11, 24, 6, 30)
    delivery = Delivery.objects.create(
        reminder=reminder,
        local_date=date(2026, 11, 24),
        scheduled_for=scheduled,
        next_attempt_at=scheduled,
    )
    gaps, now = [], scheduled
    while delivery.status != "failed":
        delivery.retry_or_fail("SMTPServerDisconnected", now)
        if delivery.status == "pending":
            gaps.append(delivery.next_attempt_at - now)
            now = delivery.next_attempt_at
    assert gaps[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert max(gaps) == timedelta(minutes=60)
    assert timedelta(hours=6) <= now - scheduled < timedelta(hours=7)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_ticks_at_once_claim_each_firing_once(time_machine, no_broker):
    time_machine.move_to(utc(2026, 11, 23, 12), tick=False)
    for n in range(300):
        make_reminder(make_user(f"person{n}@example.com", timezone="Europe/Berlin"))
    time_machine.move_to(utc(2026, 11, 24, 6, 31), tick=False)

    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def tick():
        try:
            start.wait()
            run_tick()
        except BaseException as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Delivery.objects.count() == 300
    handed_over = [delivery_id for batch in no_broker for delivery_id in batch]
    assert sorted(handed_over) == sorted(Delivery.objects.values_list("id", flat=True))
    assert not Reminder.objects.filter(next_fire_at__lte=utc(2026, 11, 24, 6, 31)).exists()
