"""When a person's day ends, and which day a moment belongs to."""

from datetime import UTC, date, datetime, time, timedelta

from django.core.exceptions import ValidationError

# When a person's day ends: midnight, or later for night owls, up to 06:00.
DAY_ENDS = [time(minutes // 60, minutes % 60) for minutes in range(0, 6 * 60 + 1, 30)]


def day_end_label(value: time) -> str:
    return "Midnight" if value == time(0) else f"{value:%H:%M}"


def validate_day_end(value: time) -> None:
    if value not in DAY_ENDS:
        raise ValidationError(
            "Choose when your day ends: midnight, or a half hour up to 06:00.", code="day_end"
        )


def day_of(local: datetime, day_ends_at: time) -> date:
    """The day an aware moment (in the person's zone) belongs to, when days end
    at `day_ends_at`: before that time on the wall clock, still the day before.

    The boundary is the first moment the wall clock shows the day's end, so
    days follow each other in real time across clock changes: if the end falls
    in a spring-forward gap the new day begins with the jump, and in an
    autumn hour that repeats, the repeat belongs to the new day.
    """
    today = local.date()
    if local.time() >= day_ends_at:
        return today
    if local.fold:
        first_end = datetime.combine(today, day_ends_at, tzinfo=local.tzinfo)
        if first_end.astimezone(UTC) <= local.astimezone(UTC):
            return today
    return today - timedelta(days=1)
