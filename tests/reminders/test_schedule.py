"""Firing times across DST changes, computed in the person's own zone."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from reminders.schedule import ALL_DAYS, WEEKDAYS, local_to_utc, next_occurrence

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
KOLKATA = ZoneInfo("Asia/Kolkata")


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def firings(start: datetime, at: time, days: int, zone: ZoneInfo, count: int) -> list[datetime]:
    result: list[datetime] = []
    after = start
    for _ in range(count):
        found = next_occurrence(after, at, days, zone)
        assert found is not None
        result.append(found)
        after = found
    return result


@pytest.mark.parametrize(
    ("zone", "start", "before_offset", "after_offset"),
    [
        (BERLIN, utc(2026, 3, 27), 1, 2),  # spring forward 29 March
        (BERLIN, utc(2026, 10, 23), 2, 1),  # fall back 25 October
        (NEW_YORK, utc(2026, 3, 6), -5, -4),  # spring forward 8 March
        (NEW_YORK, utc(2026, 10, 30), -4, -5),  # fall back 1 November
    ],
)
def test_eight_oclock_stays_eight_oclock_local_across_a_change(
    zone, start, before_offset, after_offset
):
    fired = firings(start, time(8, 0), ALL_DAYS, zone, 4)
    local = [f.astimezone(zone) for f in fired]
    assert [f.time() for f in local] == [time(8, 0)] * 4
    assert [f.date() for f in local] == sorted({f.date() for f in local})  # one a day
    offsets = [f.utcoffset().total_seconds() / 3600 for f in local]
    assert offsets[0] == before_offset and offsets[-1] == after_offset


def test_kolkata_has_no_dst_and_fires_at_the_same_utc_time():
    fired = firings(utc(2026, 3, 27), time(7, 30), ALL_DAYS, KOLKATA, 5)
    assert {f.time() for f in fired} == {time(2, 0)}


def test_a_time_in_the_spring_gap_fires_at_the_first_valid_minute():
    # Berlin has no 02:00-02:59 on 29 March 2026; 03:00 CEST is 01:00 UTC.
    assert local_to_utc(date(2026, 3, 29), time(2, 30), BERLIN) == utc(2026, 3, 29, 1, 0)
    # New York skips 02:00-02:59 on 8 March 2026; 03:00 EDT is 07:00 UTC.
    assert local_to_utc(date(2026, 3, 8), time(2, 15), NEW_YORK) == utc(2026, 3, 8, 7, 0)
    fired = firings(utc(2026, 3, 28, 12), time(2, 30), ALL_DAYS, BERLIN, 2)
    assert fired == [utc(2026, 3, 29, 1, 0), utc(2026, 3, 30, 0, 30)]


def test_a_time_in_the_autumn_overlap_fires_once():
    # 02:30 happens twice in Berlin on 25 October 2026: at 00:30 and 01:30 UTC.
    fired = firings(utc(2026, 10, 24, 12), time(2, 30), ALL_DAYS, BERLIN, 2)
    assert fired == [utc(2026, 10, 25, 0, 30), utc(2026, 10, 26, 1, 30)]
    fired = firings(utc(2026, 10, 31, 12), time(1, 30), ALL_DAYS, NEW_YORK, 2)
    assert fired == [utc(2026, 11, 1, 5, 30), utc(2026, 11, 2, 6, 30)]


def test_weekdays_skip_the_weekend():
    # Friday 2026-11-27 at 07:30 Berlin, then Monday.
    fired = firings(utc(2026, 11, 27), time(7, 30), WEEKDAYS, BERLIN, 2)
    assert [f.astimezone(BERLIN).strftime("%a %d %H:%M") for f in fired] == [
        "Fri 27 07:30",
        "Mon 30 07:30",
    ]


def test_it_fires_later_today_when_the_time_is_still_ahead():
    assert next_occurrence(utc(2026, 6, 1, 5, 0), time(7, 30), ALL_DAYS, BERLIN) == utc(
        2026, 6, 1, 5, 30
    )
    # Exactly at the firing time means the next one.
    assert next_occurrence(utc(2026, 6, 1, 5, 30), time(7, 30), ALL_DAYS, BERLIN) == utc(
        2026, 6, 2, 5, 30
    )


def test_no_chosen_day_means_no_firing():
    assert next_occurrence(utc(2026, 6, 1), time(7, 30), 0, BERLIN) is None
