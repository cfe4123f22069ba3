from datetime import time

import pytest

from reminders.models import Reminder
from reminders.schedule import ALL_DAYS


def make_reminder(user, **fields) -> Reminder:
    fields.setdefault("local_time", time(7, 30))
    fields.setdefault("days", ALL_DAYS)
    reminder = Reminder(user=user, **fields)
    reminder.reschedule()
    reminder.save()
    return reminder


@pytest.fixture
def reminder(owner) -> Reminder:
    return make_reminder(owner)
