"""Your sessions (where you're signed in) and what happened to your data."""


def record(request, user, kind: str, **detail):
    """Write one line on the person's Activity page: the one door for every app."""
    from activity.models import ActivityEvent

    return ActivityEvent.objects.record(request, user, kind, **detail)


def password_changed(request, user, kind: str) -> None:
    """After a password change or reset: this device stays, every other one is signed out."""
    from activity.models import ActivityEvent, DeviceSession

    DeviceSession.objects.end_others(request, user)
    ActivityEvent.objects.record(request, user, kind)
