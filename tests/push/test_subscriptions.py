"""Saving a device's push subscription, the SSRF guard on its endpoint, and removing it."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from push.models import PushSubscription, device_label
from tests.push_service import Device

ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"
)
SUBSCRIBE = reverse("push:subscribe")


def post_json(client, data, **headers):
    return client.post(SUBSCRIBE, json.dumps(data), content_type="application/json", **headers)


def a_subscription(push_service) -> dict:
    return Device(push_service).subscription_json()


def test_it_saves_this_devices_subscription(owner_client, owner, push_service):
    data = a_subscription(push_service)
    response = post_json(owner_client, data, HTTP_USER_AGENT=ANDROID_CHROME)
    assert response.status_code == 201
    assert response.json() == {"device": "Chrome on Android"}
    (saved,) = PushSubscription.objects.for_user(owner)
    assert saved.endpoint == data["endpoint"]
    assert (saved.p256dh, saved.auth) == (data["keys"]["p256dh"], data["keys"]["auth"])
    assert saved.device == "Chrome on Android"
    assert saved.last_success_at is None


def test_the_same_device_again_updates_its_keys_instead_of_adding_one(
    owner_client, owner, push_service
):
    data = a_subscription(push_service)
    post_json(owner_client, data)
    data["keys"]["auth"] = Device(push_service).auth
    assert post_json(owner_client, data).status_code == 201
    (saved,) = PushSubscription.objects.for_user(owner)
    assert saved.auth == data["keys"]["auth"]


def test_it_needs_the_csrf_token(owner, push_service):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert post_json(client, a_subscription(push_service)).status_code == 403
    assert not PushSubscription.objects.exists()


def test_it_needs_a_signed_in_person(client, db, push_service):
    response = post_json(client, a_subscription(push_service))
    assert response.status_code == 302
    assert not PushSubscription.objects.exists()


def test_there_is_nothing_to_subscribe_to_while_push_is_off(owner_client, settings):
    settings.VAPID_PRIVATE_KEY = settings.VAPID_PUBLIC_KEY = ""
    data = {"endpoint": "https://fcm.googleapis.com/fcm/send/x", "keys": {}}
    assert post_json(owner_client, data).status_code == 404


@pytest.mark.parametrize(
    "endpoint",
    [
        # The attack: make our worker POST to an address inside our network.
        "https://169.254.169.254/latest/meta-data/",
        "https://127.0.0.1:6379/",
        "https://10.0.0.5/admin",
        "https://[::1]/",
        "https://localhost/",
        "https://internal.example/",
        # Known services, but not over https, or on another port.
        "http://fcm.googleapis.com/fcm/send/abc",
        "https://fcm.googleapis.com:8443/fcm/send/abc",
        # Look-alikes of a known service.
        "https://fcm.googleapis.com.attacker.example/fcm/send/abc",
        "https://evilfcm.googleapis.com/x",
        "https://notify.windows.com.attacker.example/x",
        "https://fcm.googleapis.com@10.0.0.5/fcm/send/abc",
        "ftp://fcm.googleapis.com/x",
        "not a url",
        "https://web.push.apple.com/" + "a" * 1100,
    ],
)
def test_an_endpoint_outside_the_known_push_services_is_refused(
    owner_client, push_service, endpoint
):
    data = a_subscription(push_service)
    data["endpoint"] = endpoint
    response = post_json(owner_client, data)
    assert response.status_code == 400
    assert not PushSubscription.objects.exists()


def test_the_known_push_services_are_accepted(owner_client, owner, vapid_keys):
    device_keys = a_subscription_keys()
    for endpoint in [
        "https://fcm.googleapis.com/fcm/send/dGVzdA:APA91b",
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABn",
        "https://web.push.apple.com/QGx0ZXN0",
        "https://wns2-db5p.notify.windows.com/w/?token=BQYAAA",
    ]:
        response = post_json(owner_client, {"endpoint": endpoint, "keys": device_keys})
        assert response.status_code == 201, (endpoint, response.content)
    assert PushSubscription.objects.for_user(owner).count() == 4


def a_subscription_keys() -> dict:
    from tests.push_service import PushService

    service = PushService.__new__(PushService)  # only its devices and origin are used
    service.devices, service.port = {}, 443
    return Device(service).subscription_json()["keys"]


@pytest.mark.parametrize(
    "keys",
    [
        {"p256dh": "not base64!", "auth": "AAAAAAAAAAAAAAAAAAAAAA"},
        {"p256dh": "BA" + "A" * 84, "auth": "AAAA"},  # auth too short
        {"p256dh": "AAAA", "auth": "AAAAAAAAAAAAAAAAAAAAAA"},  # key too short
        {"p256dh": "Aw" + "A" * 85, "auth": "AAAAAAAAAAAAAAAAAAAAAA"},  # not uncompressed
        {"p256dh": "BA" + "A" * 84},
        {"p256dh": 7, "auth": "AAAAAAAAAAAAAAAAAAAAAA"},
    ],
)
def test_keys_that_are_not_a_devices_keys_are_refused(owner_client, push_service, keys):
    data = a_subscription(push_service)
    data["keys"] = keys
    assert post_json(owner_client, data).status_code == 400
    assert not PushSubscription.objects.exists()


def test_a_body_that_is_not_a_subscription_is_refused(owner_client, push_service):
    for body in ["", "[]", "{", json.dumps({"endpoint": "x"}), "x" * 5000]:
        response = owner_client.post(SUBSCRIBE, body, content_type="application/json")
        assert response.status_code == 400, body
    assert not PushSubscription.objects.exists()


def save_device(user, push_service, agent=ANDROID_CHROME) -> PushSubscription:
    device = Device(push_service)
    return PushSubscription.objects.save_for(
        user, device.endpoint, device.p256dh, device.auth, agent
    )


def test_the_reminders_page_lists_each_device_with_a_remove_button(
    owner_client, owner, stranger, push_service
):
    mine = save_device(owner, push_service)
    theirs = save_device(stranger, push_service, agent="Mozilla/5.0 (iPhone) Version/17 Safari/604")
    response = owner_client.get(reverse("reminders:index"))
    page = response.content.decode()
    assert "Chrome on Android" in page
    assert reverse("push:remove", args=[mine.public_id]) in page
    assert reverse("push:remove", args=[theirs.public_id]) not in page
    assert "Safari on iPhone" not in page
    assert 'data-vapid-key="' + push_service.vapid_public_key + '"' in page
    assert "no-store" in response["Cache-Control"]


def test_without_vapid_keys_the_page_offers_no_push(owner_client):
    page = owner_client.get(reverse("reminders:index")).content.decode()
    assert "push-subscribe" not in page
    assert "Send it by" not in page


def test_removing_a_device(owner_client, owner, push_service):
    mine = save_device(owner, push_service)
    response = owner_client.post(reverse("push:remove", args=[mine.public_id]))
    assert response.status_code == 302
    assert not PushSubscription.objects.filter(pk=mine.pk).exists()


def test_removing_checks_ownership(stranger_client, owner, push_service):
    mine = save_device(owner, push_service)
    response = stranger_client.post(reverse("push:remove", args=[mine.public_id]))
    assert response.status_code == 404
    mine.refresh_from_db()
    assert mine.user == owner


def test_removing_takes_a_post(owner_client, owner, push_service):
    mine = save_device(owner, push_service)
    assert owner_client.get(reverse("push:remove", args=[mine.public_id])).status_code == 405
    assert PushSubscription.objects.filter(pk=mine.pk).exists()


def test_there_is_a_limit_on_devices_per_person(owner_client, owner, push_service):
    from push.models import MAX_SUBSCRIPTIONS_PER_PERSON

    for _ in range(MAX_SUBSCRIPTIONS_PER_PERSON):
        save_device(owner, push_service)
    response = post_json(owner_client, a_subscription(push_service))
    assert response.status_code == 400
    assert "Remove one" in response.json()["error"]
    assert PushSubscription.objects.for_user(owner).count() == MAX_SUBSCRIPTIONS_PER_PERSON


@pytest.mark.parametrize(
    ("agent", "label"),
    [
        (ANDROID_CHROME, "Chrome on Android"),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Version/17.4 Safari/604.1",
            "Safari on iPhone",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
            "Firefox on Windows",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/131.0 Safari/537.36 Edg/131.0",
            "Edge on Windows",
        ),
        ("", "A browser"),
    ],
)
def test_a_device_gets_a_name_a_person_recognises(agent, label):
    assert device_label(agent) == label
