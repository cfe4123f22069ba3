"""Waiting on real parts (a Celery worker, an SMTP or push server) in tests."""

import time


def wait_for(condition, seconds: float = 20.0) -> bool:
    """Whether `condition()` comes true within `seconds`, polled every 50 ms."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def settled(condition, seconds: float = 1.0) -> bool:
    """The condition still holds after a moment: nothing more arrived."""
    time.sleep(seconds)
    return condition()
