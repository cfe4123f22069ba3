from django import template

register = template.Library()


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@register.filter
def duration(seconds) -> str:
    """Practice time in plain words: 45 seconds, 5 minutes, 1 hour 20 minutes."""
    if seconds is None:
        return ""
    seconds = round(seconds)
    if seconds < 60:
        return _plural(seconds, "second")
    hours, minutes = divmod(int(seconds / 60 + 0.5), 60)
    parts = [_plural(hours, "hour")] if hours else []
    if minutes:
        parts.append(_plural(minutes, "minute"))
    return " ".join(parts)


@register.filter
def clock(seconds) -> str:
    """Seconds as a clock reading, 7:05, counting whole seconds up."""
    if seconds is None:
        return ""
    whole = int(-(-seconds // 1))
    return f"{whole // 60}:{whole % 60:02d}"
