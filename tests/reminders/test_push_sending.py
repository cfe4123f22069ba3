"""Push reminders end to end with real parts: the tick, a Celery worker on the
configured broker, a Web Push service on loopback over TLS that checks the VAPID
token and decrypts the payload with the device's private key
(tests/push_service.py), and the SMTP server on loopback for "both"."""

import threading
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection
from django.utils import timezone

from ipnb_site.celery import app
from push.models import PushSubscription
from reminders.models import Delivery
from reminders.tasks import run_tick
from tests.push_service import Device
from tests.reminders.test_sending import due_reminder, settled, wait_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def worker(smtp_sink, push_service):
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield


def add_device(user, push_service) -> tuple[Device, PushSubscription]:
    device = Device(push_service)
    subscription = PushSubscription.objects.save_for(
        user,
        device.endpoint,
        device.p256dh,
        device.auth,
        "Mozilla/5.0 (Linux; Android 14) Chrome/131.0",
    )
    return device, subscription


def push_delivery_of(reminder) -> Delivery:
    return Delivery.objects.get(reminder=reminder, channel="push")


def test_a_push_reminder_reaches_the_device_once_signed_and_encrypted(
    owner, push_service, smtp_sink, worker
):
    from practices.models import Practice

    device, subscription = add_device(owner, push_service)
    practice = Practice.objects.order_by("slug").first()
    reminder = due_reminder(owner, kind="practice", practice_slug=practice.slug, deliver_by="push")
    run_tick()
    assert wait_for(lambda: push_service.count() == 1), push_delivery_of(reminder).last_error
    run_tick()
    assert settled(lambda: push_service.count() == 1)

    (message,) = push_service.messages
    assert message.problems == []
    assert message.path == device.path
    # Decrypted with the device's own private key and auth secret (RFC 8291).
    assert message.payload == {
        "title": f"A few minutes for {practice.name.lower()}?",
        "body": "Whenever suits you today. Tap to begin.",
        "url": f"{settings.SITE_URL}/practices/{practice.slug}/",
        "tag": "reminder-practice",
    }
    assert message.headers["ttl"] == "14400"
    assert message.headers["urgency"] == "normal"
    assert message.claims["aud"] == push_service.origin
    assert message.claims["sub"] == "mailto:care@riverwise.example"
    assert smtp_sink.count() == 0  # push only: no email

    assert wait_for(lambda: push_delivery_of(reminder).status == "sent")
    delivery = push_delivery_of(reminder)
    assert delivery.attempts == 1
    subscription.refresh_from_db()
    assert subscription.last_success_at is not None


def test_a_device_the_push_service_says_is_gone_is_removed(owner, push_service, worker, client):
    _, subscription = add_device(owner, push_service)
    reminder = due_reminder(owner, kind="check_in", deliver_by="push")
    push_service.answer = 410
    run_tick()
    assert wait_for(lambda: push_delivery_of(reminder).status == "skipped_no_device")
    assert not PushSubscription.objects.filter(pk=subscription.pk).exists()
    assert len(push_service.refused) == 1
    # The person sees what happened where their reminders are listed.
    client.force_login(owner)
    page = client.get("/reminders/").content.decode()
    assert "Skipped: no device has push turned on" in page
    assert "No device has notifications turned on yet." in page


def test_a_gone_device_does_not_stop_the_others(owner, push_service, worker):
    gone, _ = add_device(owner, push_service)
    kept, kept_subscription = add_device(owner, push_service)
    del push_service.devices[gone.path]  # the service forgot it: 404
    reminder = due_reminder(owner, kind="check_in", deliver_by="push")
    run_tick()
    assert wait_for(lambda: push_delivery_of(reminder).status == "sent")
    assert [m.path for m in push_service.messages] == [kept.path]
    assert list(PushSubscription.objects.for_user(owner)) == [kept_subscription]


@pytest.mark.parametrize("outage", ["refused", "503"])
def test_a_push_service_that_is_down_gets_retries_and_once_back_one_delivery(
    owner, push_service, worker, outage
):
    add_device(owner, push_service)
    reminder = due_reminder(owner, kind="check_in", deliver_by="push")
    if outage == "refused":
        push_service.stop()  # connections refused
    else:
        push_service.answer = 503
    run_tick()
    assert wait_for(lambda: push_delivery_of(reminder).attempts == 1)
    delivery = push_delivery_of(reminder)
    assert delivery.status == "pending"
    assert ("ConnectionError" if outage == "refused" else "503") in delivery.last_error
    first_gap = delivery.next_attempt_at - timezone.now()
    assert timedelta(seconds=50) < first_gap <= timedelta(minutes=1)
    assert run_tick()["dispatched"] == 0  # not before its back-off has passed

    # Still down at the second try: the gap doubles.
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    run_tick()
    assert wait_for(lambda: push_delivery_of(reminder).attempts == 2)
    delivery = push_delivery_of(reminder)
    assert (
        timedelta(seconds=110) < delivery.next_attempt_at - timezone.now() <= timedelta(minutes=2)
    )

    if outage == "refused":
        push_service.start()
    else:
        push_service.answer = None
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    run_tick()
    assert wait_for(lambda: push_service.count() == 1)
    run_tick()
    assert settled(lambda: push_service.count() == 1)
    assert wait_for(lambda: push_delivery_of(reminder).status == "sent")
    assert push_delivery_of(reminder).attempts == 3


def test_a_reminder_set_to_both_sends_exactly_one_email_and_one_push(
    owner, push_service, smtp_sink, worker
):
    add_device(owner, push_service)
    reminder = due_reminder(owner, kind="check_in", deliver_by="both")
    barrier = threading.Barrier(2)

    def tick():
        barrier.wait()
        run_tick()
        connection.close()

    # Two ticks racing, as in the email tests.
    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wait_for(lambda: smtp_sink.count() == 1 and push_service.count() == 1)
    run_tick()
    assert settled(lambda: smtp_sink.count() == 1 and push_service.count() == 1)
    assert smtp_sink.messages[0]["To"] == owner.email
    assert push_service.messages[0].payload["title"] == "A moment to check in"
    assert wait_for(
        lambda: (
            sorted(reminder.deliveries.values_list("channel", "status"))
            == [("email", "sent"), ("push", "sent")]
        )
    )
