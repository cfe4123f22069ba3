"""Wall-clock scheduling: when a local time on chosen weekdays happens in UTC.

Kept free of the ORM so every DST case can be tested directly.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

ALL_DAYS = 0b1111111  # bit 0 is Monday, bit 6 is Sunday (date.weekday())
WEEKDAYS = 0b0011111
WEEKEND = 0b1100000


def day_is_chosen(days: int, day: date) -> bool:
    return bool(days & (1 << day.weekday()))


def local_to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant when `day` `at` happens in `zone`.

    In the autumn overlap the wall time happens twice: take the first, so a
    reminder fires once. In the spring gap it never happens: take the first
    valid minute after the gap.
    """
    wall = datetime.combine(day, at.replace(second=0, microsecond=0))
    first = wall.replace(tzinfo=zone, fold=0)
    instant = first.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) == wall:
        return instant
    # In the gap: fold=1 reads the wall time with the offset from before the
    # change, which lands before the gap; walk forward to its end.
    candidate = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    while candidate.astimezone(zone).replace(tzinfo=None) < wall:
        candidate += timedelta(minutes=1)
    return candidate


def next_occurrence(after: datetime, at: time, days: int, zone: ZoneInfo) -> datetime | None:
    """The first firing strictly after `after` (aware), or None when no day is chosen."""
    if not days & ALL_DAYS:
        return None
    start = after.astimezone(zone).date() - timedelta(days=1)
    for offset in range(9):
        day = start + timedelta(days=offset)
        if day_is_chosen(days, day):
            candidate = local_to_utc(day, at, zone)
            if candidate > after:
                return candidate
    raise AssertionError("a chosen weekday always occurs within nine days")  # pragma: no cover
