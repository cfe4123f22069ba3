from datetime import date

import pytest
from django.core.exceptions import ValidationError

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_emails_are_stored_lower_case():
    user = User.objects.create_user("  Mixed.Case@Example.COM ", "pw-123456789")
    assert user.email == "mixed.case@example.com"


def test_an_unknown_time_zone_is_refused():
    with pytest.raises(ValidationError):
        User.objects.create_user("tz@example.com", "pw-123456789", timezone="Mars/Base")
    assert not User.objects.exists()


def test_name_falls_back_to_the_address():
    assert User(email="river@example.com").name == ""  # never a piece of the address
    assert User(email="river@example.com", display_name="Rae").name == "Rae"


@pytest.mark.parametrize(
    ("zone", "expected"),
    [("Pacific/Kiritimati", date(2026, 3, 2)), ("Pacific/Pago_Pago", date(2026, 3, 1))],
)
def test_local_today_is_the_persons_own_date(time_machine, zone, expected):
    time_machine.move_to("2026-03-01 22:30:00+00:00", tick=False)
    assert User(email="a@example.com", timezone=zone).local_today() == expected


def test_local_today_across_a_dst_change(time_machine):
    # 2026-03-29 01:30 UTC is 03:30 CEST: the clocks have just sprung forward.
    time_machine.move_to("2026-03-29 01:30:00+00:00", tick=False)
    user = User(email="b@example.com", timezone="Europe/Berlin")
    assert user.local_now().utcoffset().total_seconds() == 2 * 3600
    assert user.local_today() == date(2026, 3, 29)
