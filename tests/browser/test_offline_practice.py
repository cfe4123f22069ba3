"""Installable, and practising with no connection, with a real service worker in Chromium.

The offline tests take the server away as well as setting the browser offline
(see stoppable_server.py), then bring it back on the same address.
"""

import json
import re
import struct
import uuid
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from practices.models import PracticeSession
from tests.browser.measure import PHONE_VIEWPORT
from tests.browser.stoppable_server import StoppableServer

PASSWORD = "a-calm-river-42"
SLOW = 20_000
phone = pytest.mark.browser_context_args(viewport=PHONE_VIEWPORT, has_touch=True, is_mobile=True)

WAIT_FOR_OFFLINE_COPIES = """async () => {
  for (let tries = 0; tries < 200; tries++) {
    const names = await caches.keys();
    const person = names.find((name) => name.startsWith("riverwise-person-"));
    if (person && (await (await caches.open(person)).match("/__riverwise_owner__"))) return person;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the service worker kept no copies of the practice pages");
}"""

KEPT_ON_DEVICE = "async () => (await RiverwiseOfflineQueue.all()).length"


def wait_until_sent(page) -> None:
    for _ in range(100):
        if page.evaluate(KEPT_ON_DEVICE) == 0:
            return
        page.wait_for_timeout(100)
    raise AssertionError("the sessions kept on the device were never sent")


def fire_background_sync(page, origin: str, *, times: int) -> None:
    """Dispatch the worker's `sync` event as the browser does, through DevTools."""
    devtools = page.context.new_cdp_session(page)
    registrations: list[dict] = []
    devtools.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    devtools.send("ServiceWorker.enable")
    for _ in range(50):
        if registrations:
            break
        page.wait_for_timeout(100)
    registration = next(r for r in registrations if not r["isDeleted"])
    for _ in range(times):
        devtools.send(
            "ServiceWorker.dispatchSyncEvent",
            {
                "origin": origin,
                "registrationId": registration["registrationId"],
                "tag": "riverwise-send-practice",
                "lastChance": False,
            },
        )


@pytest.fixture(autouse=True)
def quick(settings):
    settings.PRACTICE_SECONDS_SCALE = 0.01


@pytest.fixture
def server(transactional_db, live_server):
    server = StoppableServer().start()
    yield server
    server.stop()


def log_in(page, a11y, base: str) -> User:
    user = User.objects.create_user(
        "rowan@example.com", PASSWORD, display_name="Rowan", timezone="Europe/Berlin"
    )
    page.goto(base + "/accounts/login/")
    a11y()
    page.get_by_label("Email").fill("rowan@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Rowan")
    a11y()
    return user


def run_offline(page, a11y, *, before_rating: str | None, after_rating: str | None) -> None:
    """From the before check-in of the on-this-device page to its last words."""
    expect(page.get_by_role("heading", name="Before you begin")).to_be_visible()
    a11y()
    if before_rating:
        page.get_by_role("button", name=before_rating, exact=True).first.click()
    else:
        page.get_by_role("button", name="Skip the check-in and begin").click()
    after = page.get_by_role("heading", name="You've reached the end")
    expect(after).to_be_visible(timeout=SLOW)
    if after_rating:
        page.locator('[data-device-stage="after"]').get_by_role(
            "button", name=after_rating, exact=True
        ).click()
    else:
        page.get_by_role("button", name="Skip the check-in").click()
    expect(page.get_by_role("status")).to_have_text(
        "Saved on this device; it will be sent when you're online."
    )
    a11y()


@phone
def test_practices_done_offline_reach_the_server_once_each(page, a11y, server):
    user = log_in(page, a11y, server.url)
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.evaluate(WAIT_FOR_OFFLINE_COPIES)

    page.context.set_offline(True)
    server.stop()
    assert not server.is_up()

    # The practices list from the device, and a practice's own page runs it there.
    page.goto(server.url + "/practices/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Practices")
    a11y()
    page.get_by_role("link", name="Meditation timer", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meditation timer")
    run_offline(page, a11y, before_rating="4", after_rating="8")

    # One tap on Begin in the list: the form can't reach the server, so it practises here.
    page.goto(server.url + "/practices/")
    a11y()
    page.get_by_role("button", name="Begin Breathwork").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Breathwork")
    run_offline(page, a11y, before_rating=None, after_rating=None)

    # A page the device keeps no copy of: the offline page, in the app's layout.
    page.goto(server.url + "/journal/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You're offline for now")
    a11y()

    assert page.evaluate(KEPT_ON_DEVICE) == 2
    assert not PracticeSession.objects.exists()

    server.start()
    page.context.set_offline(False)
    # Background Sync fires twice at once: both sends reach the server.
    fire_background_sync(page, server.url, times=2)
    wait_until_sent(page)

    sessions = {s.practice.slug: s for s in PracticeSession.objects.for_user(user)}
    assert sorted(sessions) == ["breathwork", "meditation-timer"]
    timer, breathwork = sessions["meditation-timer"], sessions["breathwork"]
    assert (timer.before_rating, timer.after_rating, timer.completed) == (4, 8, True)
    assert (breathwork.before_rating, breathwork.after_rating) == (None, None)
    assert breathwork.completed
    assert timer.local_date == breathwork.local_date == user.local_today()
    assert timer.stage == breathwork.stage == PracticeSession.Stage.DONE

    # Back online, the next page sends nothing twice.
    page.goto(server.url + "/practices/history/")
    a11y()
    assert PracticeSession.objects.for_user(user).count() == 2


def someone_elses_session(owner: str) -> str:
    """JavaScript keeping a finished timer session of `owner` on the device, as the page would."""
    began = timezone.now() - timedelta(minutes=30)
    body = urlencode(
        {
            "request_id": str(uuid.uuid4()),
            "parameters": json.dumps({"minutes": 10}),
            "started_at": began.isoformat(),
            "ended_at": (began + timedelta(minutes=10)).isoformat(),
            "time_zone": "Europe/Berlin",
            "seconds_practised": "600",
        }
    )
    kept = {
        "requestId": "kept-by-someone-else",
        "url": "/practices/meditation-timer/on-this-device/",
        "body": body,
        "owner": owner,
    }
    return f"() => RiverwiseOfflineQueue.keep({json.dumps(kept)})"


@phone
def test_what_waits_on_a_shared_device_is_sent_for_no_one_else_and_sign_out_clears_it(
    page, a11y, server
):
    """Someone practised offline on this phone and handed it over: their session
    must not be sent as the next person's, and signing out leaves nothing behind."""
    user = log_in(page, a11y, server.url)
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.evaluate(WAIT_FOR_OFFLINE_COPIES)
    page.evaluate(someone_elses_session("another-person"))
    # The worker's sync and the next page both try to send what waits.
    page.evaluate(
        """async () => {
          (await navigator.serviceWorker.ready).active.postMessage({ type: "send-kept" });
        }"""
    )
    page.goto(server.url + "/accounts/me/")
    a11y()
    page.wait_for_timeout(1000)
    assert page.evaluate(KEPT_ON_DEVICE) == 1
    assert not PracticeSession.objects.exists()
    assert str(user.public_id) == page.evaluate("document.body.dataset.pwaOwner")

    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state("load")
    a11y()
    assert page.evaluate(KEPT_ON_DEVICE) == 0
    names = page.evaluate("caches.keys()")
    assert not [name for name in names if name.startswith("riverwise-person-")]
    assert any(name.startswith("riverwise-static-") for name in names)


def png_size(body: bytes) -> str:
    assert body[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", body[16:24])
    return f"{width}x{height}"


@phone
def test_it_meets_the_installability_criteria(page, a11y, live_server):
    """What Lighthouse checks: a manifest with the fields it needs, icons that
    load at their stated sizes, and a service worker controlling the start URL."""
    User.objects.create_user("rowan@example.com", PASSWORD, timezone="Europe/Berlin")
    page.goto("/accounts/login/")
    a11y()
    page.get_by_label("Email").fill("rowan@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("load")
    a11y()

    href = page.locator('link[rel="manifest"]').get_attribute("href")
    response = page.request.get(href)
    assert response.headers["content-type"] == "application/manifest+json"
    manifest = json.loads(response.body())
    for field in ("name", "short_name", "start_url", "display", "icons", "id", "scope"):
        assert manifest[field]
    assert manifest["display"] in ("standalone", "fullscreen", "minimal-ui")
    sizes = set()
    for icon in manifest["icons"]:
        fetched = page.request.get(icon["src"])
        assert fetched.ok and fetched.headers["content-type"] == icon["type"] == "image/png"
        assert png_size(fetched.body()) == icon["sizes"]
        sizes.add((icon["sizes"], icon.get("purpose", "any")))
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes

    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.goto(manifest["start_url"])
    a11y()
    worker = page.evaluate(
        """async () => {
          const registration = await navigator.serviceWorker.getRegistration();
          return {
            controlled: navigator.serviceWorker.controller !== null,
            script: navigator.serviceWorker.controller.scriptURL,
            scope: registration.scope,
          };
        }"""
    )
    assert worker["controlled"]
    assert worker["script"] == live_server.url + "/sw.js"
    assert worker["scope"] == live_server.url + "/"


@phone
def test_the_help_and_offline_pages_read_well_on_a_phone(page, a11y):
    page.goto("/add-to-home-screen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add Riverwise to your home screen")
    a11y()
    page.goto("/offline/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You're offline for now")
    a11y()


@phone
@pytest.mark.parametrize(
    ("slug", "name"),
    [
        ("grounding", "Grounding 5-4-3-2-1"),
        ("body-scan", "Body scan"),
        ("wheel-of-awareness", "Wheel of Awareness"),
    ],
)
def test_the_stepped_practices_run_whole_in_the_page(page, a11y, server, slug, name):
    """Grounding moves on by the person's taps, the body scan and the Wheel by
    themselves; online, the finished session is saved at once."""
    user = log_in(page, a11y, server.url)
    page.goto(f"{server.url}/practices/{slug}/on-this-device/")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    a11y()
    page.get_by_role("button", name="5", exact=True).click()
    steps = page.locator("template[data-device-step]").count()
    if slug == "grounding":
        for _ in range(steps - 1):
            page.get_by_role("button", name=re.compile("^Next: ")).click()
        expect(page.get_by_text(f"Step {steps} of {steps}")).to_be_visible()
        page.get_by_role("button", name="Finish").click()
    expect(page.get_by_role("heading", name="You've reached the end")).to_be_visible(timeout=SLOW)
    page.get_by_role("button", name="Skip the check-in").click()
    expect(page.get_by_role("status")).to_contain_text("Saved.")
    a11y()
    page.get_by_role("link", name="See this session").click()
    a11y()
    session = PracticeSession.objects.for_user(user).get()
    assert (session.practice.slug, session.completed, session.before_rating) == (slug, True, 5)


@phone
def test_the_device_page_runs_the_timers_delay_and_endless_silent_sit(page, a11y, server):
    """The on-this-device page keeps the timer's modes as the server's page does: the
    start delay is not practice time, an endless sit counts up, a silent one has no sound."""
    from practices.models import Practice

    user = log_in(page, a11y, server.url)
    last, _ = PracticeSession.objects.start(
        user,
        Practice.objects.get(slug="meditation-timer"),
        request_id=uuid.uuid4(),
        parameters={
            "endless": True,
            "silent": True,
            "sound": False,
            "start_delay": 5,
            "interval_minutes": 5,
        },
    )
    last.close(timezone.now())

    page.goto(server.url + "/practices/meditation-timer/on-this-device/")
    a11y()
    page.get_by_role("button", name="Skip the check-in and begin").click()
    expect(page.get_by_text("Settle in. The clock starts in")).to_be_visible()
    expect(page.locator("[data-sound-toggle]")).to_have_count(0)
    a11y()
    expect(page.get_by_text("Settle in. The clock starts in")).to_be_hidden(timeout=SLOW)
    expect(page.get_by_text("so far, with no set end")).to_be_visible()
    page.wait_for_timeout(2000)
    page.get_by_role("button", name="Finish").click()
    expect(
        page.get_by_role("heading", name=re.compile(r"^You practised for \d seconds$"))
    ).to_be_visible()
    page.get_by_role("button", name="Skip the check-in").click()
    expect(page.get_by_role("status")).to_contain_text("Saved.")
    a11y()

    sit = PracticeSession.objects.for_user(user).exclude(pk=last.pk).get()
    assert sit.parameters == last.parameters and sit.planned_seconds is None
    # About two seconds on the clock: the five seconds of settling are not practice.
    on_the_page = (sit.ended_at - sit.started_at).total_seconds()
    assert on_the_page >= 6
    assert sit.seconds_practised >= 1
    assert sit.seconds_practised <= on_the_page - 5 + 1
    assert sit.completed
