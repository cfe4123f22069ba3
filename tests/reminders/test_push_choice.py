"""Each reminder goes by email, push or both: the rule on the model, the form, the
claim (one delivery per channel) and what a push carries."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from push.models import PushSubscription
from reminders.emails import Nudges
from reminders.models import Delivery, Reminder
from tests.push_service import Device
from tests.reminders.conftest import make_reminder

pytestmark = pytest.mark.django_db


def add_device(user, push_service) -> PushSubscription:
    device = Device(push_service)
    return PushSubscription.objects.save_for(user, device.endpoint, device.p256dh, device.auth, "")


def reminder_data(**overrides):
    data = {
        "kind": "practice",
        "local_time": "07:30",
        "days": ["0", "1", "2", "3", "4"],
        "practice_slug": "",
        "enabled": "on",
    }
    data.update(overrides)
    return data


def test_push_needs_a_device_with_push_turned_on(owner, stranger, push_service):
    reminder = Reminder(user=owner, deliver_by="push")
    with pytest.raises(ValidationError) as refused:
        reminder.full_clean()
    assert "deliver_by" in refused.value.message_dict
    add_device(stranger, push_service)  # someone else's device is no help
    with pytest.raises(ValidationError):
        reminder.full_clean()
    add_device(owner, push_service)
    reminder.full_clean()
    Reminder(user=owner, deliver_by="both").full_clean()


def test_push_is_refused_while_the_site_has_no_vapid_keys(owner, push_service, settings):
    add_device(owner, push_service)
    settings.VAPID_PRIVATE_KEY = settings.VAPID_PUBLIC_KEY = ""
    with pytest.raises(ValidationError):
        Reminder(user=owner, deliver_by="push").full_clean()
    Reminder(user=owner, deliver_by="email").full_clean()


def test_an_unknown_channel_is_refused(owner, push_service):
    add_device(owner, push_service)
    with pytest.raises(ValidationError):
        Reminder(user=owner, deliver_by="pigeon").full_clean()


def test_the_form_offers_push_only_with_a_device(owner_client, owner, push_service):
    page = owner_client.get("/reminders/").content.decode()
    assert "Send it by" not in page
    # A hand-made POST can't get push without a device either: it stays email.
    owner_client.post("/reminders/new/", reminder_data(deliver_by="push"))
    assert Reminder.objects.get(user=owner).deliver_by == "email"

    add_device(owner, push_service)
    page = owner_client.get("/reminders/").content.decode()
    assert "Send it by" in page and "Email and push notification" in page
    response = owner_client.post("/reminders/new/", reminder_data(deliver_by="both"))
    assert response.status_code == 302
    assert Reminder.objects.filter(user=owner, deliver_by="both").count() == 1
    response = owner_client.post("/reminders/new/", reminder_data(deliver_by="fax"))
    assert response.status_code == 400


def test_a_push_reminder_whose_devices_are_gone_goes_back_to_email_when_edited(
    owner_client, owner, push_service
):
    device = add_device(owner, push_service)
    reminder = make_reminder(owner, deliver_by="push")
    device.delete()
    response = owner_client.post(f"/reminders/{reminder.public_id}/edit/", reminder_data())
    assert response.status_code == 302
    reminder.refresh_from_db()
    assert reminder.deliver_by == "email"


def due(user, **fields) -> Reminder:
    reminder = make_reminder(user, **fields)
    Reminder.objects.filter(pk=reminder.pk).update(
        next_fire_at=timezone.now() - timedelta(seconds=1)
    )
    return reminder


def test_a_firing_makes_one_delivery_per_channel_and_only_once(owner, stranger, push_service):
    add_device(owner, push_service)
    both = due(owner, deliver_by="both")
    push = due(owner, deliver_by="push", kind="check_in")
    email = due(stranger)
    claimed, _ = Reminder.objects.claim_due(timezone.now())
    assert claimed == 3
    channels = sorted(Delivery.objects.values_list("reminder_id", "channel"))
    assert channels == sorted(
        [(both.pk, "email"), (both.pk, "push"), (push.pk, "push"), (email.pk, "email")]
    )
    # The same firing claimed again (say, two ticks racing) adds nothing.
    Reminder.objects.filter(pk__in=[both.pk, push.pk, email.pk]).update(
        next_fire_at=timezone.now() - timedelta(seconds=1)
    )
    Reminder.objects.claim_due(timezone.now())
    assert Delivery.objects.count() == 4


def push_delivery(reminder) -> Delivery:
    return Delivery.objects.create(
        reminder=reminder,
        channel="push",
        local_date=reminder.user.local_today(),
        scheduled_for=timezone.now(),
        next_attempt_at=timezone.now(),
    )


def test_a_push_carries_a_title_a_line_a_link_and_a_tag_and_nothing_written(owner):
    from journal.models import JournalEntry
    from practices.models import Practice

    JournalEntry.objects.create(
        user=owner, local_date=owner.local_today(), body="A private line about my sister."
    )
    practice = Practice.objects.order_by("slug").first()
    deliveries = [
        push_delivery(make_reminder(owner, kind=kind, practice_slug=practice.slug))
        for kind in ("practice", "check_in", "weekly_summary")
    ]
    nudges = Nudges(deliveries)
    payloads = [nudges.push_payload(delivery) for delivery in deliveries]
    assert payloads[0] == {
        "title": f"A few minutes for {practice.name.lower()}?",
        "body": "Whenever suits you today. Tap to begin.",
        "url": f"{settings.SITE_URL}/practices/{practice.slug}/",
        "tag": "reminder-practice",
    }
    assert payloads[1]["url"] == settings.SITE_URL + reverse("journal:new")
    assert payloads[2]["tag"] == "reminder-weekly_summary"
    for payload in payloads:
        assert set(payload) == {"title", "body", "url", "tag"}
        assert "sister" not in str(payload)
        assert len(str(payload).encode()) < 1000


def due_push_deliveries(count: int, push_service, label: str) -> list[int]:
    from tests.conftest import make_user

    ids = []
    for n in range(count):
        person = make_user(f"{label}{n}@example.com", timezone="Europe/Berlin")
        add_device(person, push_service)
        ids.append(push_delivery(make_reminder(person, kind="check_in", deliver_by="push")).id)
    return ids


def test_a_push_batch_costs_its_fixed_queries_plus_two_writes_per_push(push_service):
    from django.core.mail import get_connection
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    costs = []
    for count, label in ((3, "three"), (6, "six")):
        ids = due_push_deliveries(count, push_service, label)
        with CaptureQueriesContext(connection) as queries:
            assert Delivery.objects.send_many(ids, get_connection()) == count
        costs.append(len(queries))
    # Per push: the hand-over's compare-and-set and the device's "last reached".
    assert costs[1] - costs[0] == 3 * 2
    assert push_service.count() == 9


def test_an_answer_that_would_only_repeat_fails_without_retrying(owner, push_service):
    from django.core.mail import get_connection

    add_device(owner, push_service)
    delivery = push_delivery(make_reminder(owner, kind="check_in", deliver_by="push"))
    push_service.answer = 413  # payload too large: sending it again can't help
    Delivery.objects.send_many([delivery.id], get_connection())
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert "413" in delivery.last_error
    assert PushSubscription.objects.for_user(owner).count() == 1
