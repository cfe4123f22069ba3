"""Numbers in words for the person reading: one home for durations and plurals.

Python hands templates numbers; these filters turn them into words with
ngettext, so the copy can be translated later without touching the views.
"""

from django import template
from django.utils.translation import ngettext

register = template.Library()


def _hours(n: int) -> str:
    return ngettext("%(n)d hour", "%(n)d hours", n) % {"n": n}


def _minutes(n: int) -> str:
    return ngettext("%(n)d minute", "%(n)d minutes", n) % {"n": n}


def _seconds(n: int) -> str:
    return ngettext("%(n)d second", "%(n)d seconds", n) % {"n": n}


@register.filter
def duration(seconds) -> str:
    """Practice time in plain words: 45 seconds, 5 minutes, 1 hour 20 minutes."""
    if seconds is None:
        return ""
    seconds = round(seconds)
    if seconds < 60:
        return _seconds(seconds)
    hours, minutes = divmod(int(seconds / 60 + 0.5), 60)
    parts = [_hours(hours)] if hours else []
    if minutes:
        parts.append(_minutes(minutes))
    return " ".join(parts)


@register.filter
def minutes_in_words(seconds) -> str:
    """Time rounded to whole minutes: 0 minutes, 1 hour, 2 hours 5 minutes."""
    hours, minutes = divmod(round((seconds or 0) / 60), 60)
    parts = [_hours(hours)] if hours else []
    if minutes or not hours:
        parts.append(_minutes(minutes))
    return " ".join(parts)


@register.filter
def clock(seconds) -> str:
    """Seconds as a clock reading, 7:05, counting whole seconds up."""
    if seconds is None:
        return ""
    whole = int(-(-seconds // 1))
    return f"{whole // 60}:{whole % 60:02d}"
