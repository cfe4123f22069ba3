"""Uptime monitors and link checkers ask with HEAD: it answers wherever GET does."""

import pytest
from django.test import Client

from reminders.emails import unsubscribe_token
from reminders.models import Reminder
from tests.reminders.conftest import make_reminder
from tests.site.addresses import addresses_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("logged_in", [True, False], ids=["logged-in", "logged-out"])
def test_head_gets_the_same_status_as_get_on_every_address_and_no_body(owner, logged_in):
    addresses = addresses_of(owner)
    client = Client()
    if logged_in:
        client.force_login(owner)
    differ, walked = [], []
    for name, url in addresses.items():
        got = client.get(url)
        if got.status_code == 405:
            continue
        walked.append(name)
        head = client.head(url)
        # The same templates: HEAD took GET's way through the view, not POST's.
        same_way = [t.name for t in head.templates] == [t.name for t in got.templates]
        if head.status_code != got.status_code or head.content or not same_way:
            differ.append(f"{name} {url}: GET {got.status_code}, HEAD {head.status_code}")

    assert {"home", "healthz", "practices:index", "journal:index", "reminders:index"} <= set(walked)
    assert not differ, "HEAD answers differently from GET:\n" + "\n".join(differ)


def test_a_head_on_an_unsubscribe_link_stops_nothing(client, owner):
    # Mail scanners check links with HEAD; only the POST from the page unsubscribes.
    reminder = make_reminder(owner, kind=Reminder.Kind.PRACTICE)
    response = client.head(f"/reminders/unsubscribe/{unsubscribe_token(owner, 'practice')}/")

    assert response.status_code == 200
    reminder.refresh_from_db()
    assert reminder.enabled
