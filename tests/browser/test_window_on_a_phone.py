"""The window of tolerance and the fortnightly look back, on a phone (412×915):
signs mapped, a check-in from Today in one tap, its suggestion, and a look back
filled in and found again in the journal. Every page is checked with axe, light
and dark, at phone and desktop size."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from accounts.models import User
from journal.models import JournalEntry, LookBackPlan, WindowCheckIn, WindowMap
from tests.browser.measure import Journey, document_height, phone, widest_overflow
from tests.progress.factories import ensure_catalog_and_vocabulary, make_history

PHONE_SCREEN = 915


@pytest.fixture(autouse=True)
def catalog_and_vocabulary(a11y):
    ensure_catalog_and_vocabulary()


@pytest.fixture
def person(page, live_server):
    """Someone with a few weeks of practice and journal, already signed in."""
    user = User.objects.create_user(
        "wren@example.com", display_name="Wren", timezone="Europe/Berlin"
    )
    today = user.local_today()
    make_history(user, today - timedelta(days=30), today)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return user


@phone
def test_signs_mapped_then_a_check_in_from_today_in_one_tap_brings_a_suggestion(page, a11y, person):
    page.goto("/")
    a11y()
    Journey(page).tap(page.get_by_role("link", name="Map your own signs"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your window of tolerance")
    a11y()
    above = page.get_by_role("group", name="Above my window: too much, revved up")
    above.get_by_label("tense", exact=True).check()
    above.get_by_label("Other signs, in your own words").fill("jaw tight, talking fast")
    below = page.get_by_role("group", name="Below my window: too little, shut down")
    below.get_by_label("foggy", exact=True).check()
    page.get_by_role("button", name="Save my signs").click()

    # Back on Today, the buttons speak the person's own words.
    expect(page.get_by_text("Your signs are saved.")).to_be_visible()
    assert WindowMap.objects.get(user=person).above_signs == ["tense", "jaw tight", "talking fast"]
    tap_above = page.get_by_role("button", name="Above", exact=True)
    expect(tap_above).to_have_accessible_description("tense, jaw tight, talking fast")
    expect(page.get_by_role("button", name="Below", exact=True)).to_have_accessible_description(
        "foggy"
    )
    height = document_height(page)
    assert height <= 3.5 * PHONE_SCREEN, f"Today is {height} px"
    assert widest_overflow(page) == []
    a11y()

    loads = len(a11y.loaded)
    journey = Journey(page)
    on_first_screen = journey.on_first_screen(tap_above)
    journey.tap(tap_above)
    card = page.locator("#window-now")
    expect(card.get_by_text("Noted:")).to_contain_text("above my window")
    expect(card.get_by_text("A long, slow breath out")).to_be_visible()
    expect(card.get_by_role("link", name="Breathwork")).to_be_visible()
    assert journey.taps == 1 and len(a11y.loaded) == loads  # swapped in place, no new page
    (check_in,) = WindowCheckIn.objects.filter(user=person)
    assert check_in.state == "above"
    box = card.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 412
    a11y()

    # The wrong button? Taken back by keyboard; focus lands on the words that say so.
    undo = card.get_by_role("button", name="Undo this check-in")
    undo.focus()
    page.keyboard.press("Enter")
    taken_back = card.get_by_text("Taken back.")
    expect(taken_back).to_be_focused()
    assert not WindowCheckIn.objects.filter(user=person).exists()
    a11y()
    card.get_by_role("button", name="Within", exact=True).click()
    expect(card.get_by_text("Noted:")).to_contain_text("within my window")
    assert WindowCheckIn.objects.get(user=person).state == "within"
    print(
        f"\nwindow: Today {height:.0f} px = {height / PHONE_SCREEN:.2f} screens; "
        f"check-in {journey.taps} tap, on the first screen: {on_first_screen}, "
        f"scrolled {journey.scrolled:.0f} px"
    )


@phone
def test_a_check_in_before_a_practice_is_one_small_tap_with_or_without_script(page, a11y, person):
    page.goto("/practices/breathwork/")
    begin = page.get_by_role("button", name="Begin", exact=True)
    assert Journey(page).on_first_screen(begin)  # the check-in waits below the set-up
    card = page.get_by_role("region", name="Before you begin: where are you?")
    a11y()
    Journey(page).tap(card.get_by_role("button", name="Below", exact=True))
    expect(card.get_by_text("Begin whenever you're ready.")).to_be_visible()
    a11y()
    assert WindowCheckIn.objects.get(user=person).state == "below"

    # Without htmx the same form answers with a page of its own.
    page.reload()
    page.locator("#window-now form").evaluate("form => form.removeAttribute('hx-post')")
    page.evaluate("htmx.process(document.body)")
    page.locator("#window-now").get_by_role("button", name="Within", exact=True).click()
    expect(page).to_have_url(re.compile(r"/journal/window/now/$"))
    expect(page.get_by_text("Begin whenever you're ready.")).to_be_visible()
    expect(page.get_by_role("link", name="Back", exact=True)).to_have_attribute(
        "href", "/practices/breathwork/"
    )
    a11y()
    assert WindowCheckIn.objects.filter(user=person).count() == 2


@phone
def test_the_look_back_filled_in_is_found_again_in_the_journal(page, a11y, person):
    LookBackPlan.objects.create(user=person, starts_on=person.local_today() - timedelta(days=14))
    page.goto("/")
    a11y()
    journey = Journey(page)
    journey.tap(page.get_by_role("link", name="Your look back is ready"))
    expect(page.get_by_role("heading", level=1)).to_have_text("A look back on two weeks")
    expect(page.get_by_text("You practised on")).to_be_visible()
    assert widest_overflow(page) == []
    a11y()

    page.get_by_label("What helped, these two weeks?").fill("Breathing before meetings.")
    page.get_by_label("What was hard?").fill("Short nights.")
    page.get_by_label("One small thing to try in the next two weeks?").fill("Lights out at 11.")
    journey.tap(page.get_by_role("button", name="Keep in my journal"))
    expect(page.get_by_text("Your look back is kept in your journal.")).to_be_visible()
    a11y()

    journey.tap(page.get_by_role("link", name="Read it or add to it"))
    expect(page.get_by_text("Breathing before meetings.")).to_be_visible()
    expect(page.get_by_text("Looking back on two weeks")).to_be_visible()
    a11y()
    entry = JournalEntry.objects.get(user=person, prompt_key__startswith="look-back-")
    assert "Lights out at 11." in entry.body

    page.goto("/journal/search/?q=meetings")
    expect(page.get_by_text("Breathing before meetings", exact=False).first).to_be_visible()
    a11y()
