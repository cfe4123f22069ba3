"""The tick itself under frozen time, run every 10 minutes across DST changes."""

from datetime import UTC, datetime, time, timedelta

import pytest

from reminders.models import Delivery
from tests.conftest import make_user
from tests.reminders.conftest import make_reminder

pytestmark = pytest.mark.django_db


def simulate_ticks(time_machine, start: datetime, days: int) -> None:
    from reminders.tasks import run_tick

    now = start
    while now < start + timedelta(days=days):
        time_machine.move_to(now, tick=False)
        run_tick()
        now += timedelta(minutes=10)


@pytest.fixture
def no_broker(monkeypatch):
    monkeypatch.setattr("reminders.tasks.send_deliveries.delay", lambda ids: None)


@pytest.mark.parametrize(
    ("zone", "start"),
    [
        ("Europe/Berlin", datetime(2026, 3, 27, tzinfo=UTC)),
        ("Europe/Berlin", datetime(2026, 10, 23, tzinfo=UTC)),
        ("America/New_York", datetime(2026, 3, 6, tzinfo=UTC)),
        ("America/New_York", datetime(2026, 10, 30, tzinfo=UTC)),
        ("Asia/Kolkata", datetime(2026, 3, 27, tzinfo=UTC)),
    ],
)
def test_eight_oclock_fires_once_a_day_at_eight_local(time_machine, no_broker, zone, start):
    time_machine.move_to(start, tick=False)
    person = make_user("traveller@example.com", timezone=zone)
    make_reminder(person, local_time=time(8, 0))
    simulate_ticks(time_machine, start, days=4)

    deliveries = list(Delivery.objects.order_by("scheduled_for"))
    assert len(deliveries) == 4
    local = [d.scheduled_for.astimezone(person.zone) for d in deliveries]
    assert [t.time() for t in local] == [time(8, 0)] * 4
    assert [d.local_date for d in deliveries] == [t.date() for t in local]
    assert len({d.local_date for d in deliveries}) == 4


def test_a_time_in_the_berlin_gap_fires_once_just_after_it(time_machine, no_broker):
    start = datetime(2026, 3, 28, 12, tzinfo=UTC)
    time_machine.move_to(start, tick=False)
    person = make_user("early@example.com", timezone="Europe/Berlin")
    make_reminder(person, local_time=time(2, 30))
    simulate_ticks(time_machine, start, days=2)
    fired = [d.scheduled_for for d in Delivery.objects.order_by("scheduled_for")]
    assert fired == [
        datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # 03:00 CEST, the first minute after the gap
        datetime(2026, 3, 30, 0, 30, tzinfo=UTC),  # 02:30 CEST
    ]


def test_a_time_in_the_new_york_overlap_fires_once(time_machine, no_broker):
    start = datetime(2026, 10, 31, 12, tzinfo=UTC)
    time_machine.move_to(start, tick=False)
    person = make_user("owl@example.com", timezone="America/New_York")
    make_reminder(person, local_time=time(1, 30))
    simulate_ticks(time_machine, start, days=2)
    fired = [d.scheduled_for for d in Delivery.objects.order_by("scheduled_for")]
    assert fired == [
        datetime(2026, 11, 1, 5, 30, tzinfo=UTC),  # the first 01:30, still EDT
        datetime(2026, 11, 2, 6, 30, tzinfo=UTC),
    ]
