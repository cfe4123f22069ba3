"""Name it to tame it, on a phone: taps and scrolling measured in the page."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from accounts.models import User
from journal.models import EmotionWord, JournalEntry, NamedEmotion
from journal.vocabulary import sync_vocabulary
from tests.browser.measure import Journey, phone, widest_overflow
from tests.journal.factories import make_entry

PASSWORD = "a long river of words"
SCREEN = 915


@pytest.fixture(autouse=True)
def vocabulary(a11y):
    sync_vocabulary(EmotionWord)


@pytest.fixture
def signed_in(page, live_server):
    """A person already signed in (their session cookie set): the journeys start here."""
    user = User.objects.create_user(
        email="ash@example.com", password=PASSWORD, display_name="Ash", timezone="Europe/Berlin"
    )
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
    return user


@phone
def test_naming_one_feeling_with_a_strength_and_saving_takes_four_taps(page, a11y, signed_in):
    page.goto("/journal/new/")
    a11y()
    tab_stops = page.evaluate(
        """() => [...document.querySelectorAll('a[href], button, input, select, textarea, summary')]
              .filter(el => !el.disabled && el.tabIndex >= 0 && el.getClientRects().length)
              .filter(el => el.type !== 'radio' || el.checked ||
                      !document.querySelector(`input[type=radio][name="${el.name}"]:checked`))
              .filter((el, i, all) => el.type !== 'radio' ||
                      all.findIndex(o => o.type === 'radio' && o.name === el.name) === i).length"""
    )
    journey = Journey(page)
    journey.tap(page.get_by_role("radio", name="Low, heavy low energy, unpleasant"))
    journey.tap(page.get_by_label("tired", exact=True))
    strength = page.get_by_role("group", name="How strong is “tired”?")
    journey.tap(strength.get_by_label("a lot", exact=True))
    journey.tap(page.get_by_role("button", name="Save entry"))
    expect(page.get_by_text("Strength when named: 4 of 5.")).to_be_visible()
    named = NamedEmotion.objects.get()
    assert (named.emotion.word, named.intensity, named.entry.body) == ("tired", 4, "")
    figures = f"{journey.taps} taps, {journey.scrolled:.0f}px scrolled, {tab_stops} tab stops"
    print(f"\nentry form: {figures}")
    assert journey.taps <= 4
    assert journey.scrolled <= SCREEN
    assert tab_stops < 146
    a11y()


@phone
def test_the_picker_fits_the_screen_and_its_targets_are_big_enough(page, a11y, signed_in):
    page.goto("/journal/new/")
    page.get_by_role("radio", name="Calm, at ease low energy, pleasant").check()
    page.get_by_label("calm", exact=True).check()
    assert widest_overflow(page) == []
    sizes = page.evaluate(
        """() => {
          const shown = selector => [...document.querySelectorAll(selector)]
            .filter(el => el.getClientRects().length)
            .map(el => el.getBoundingClientRect());
          return {
            tiles: shown('.quadrant-tile').map(box => box.height),
            words: shown('.word-tile').map(box => box.height),
            segments: shown('.segments label').map(box => [box.width, box.height]),
            save: shown('.sticky-actions .button')[0].height,
          };
        }"""
    )
    assert len(sizes["tiles"]) == 4 and min(sizes["tiles"]) >= 44
    assert 20 <= len(sizes["words"]) <= 35 and min(sizes["words"]) >= 44
    assert len(sizes["segments"]) == 5 and min(h for _, h in sizes["segments"]) >= 44
    assert min(w for w, _ in sizes["segments"]) >= 24
    assert sizes["save"] >= 44
    # The word's checkbox and its name sit on one line.
    box = page.get_by_label("calm", exact=True).bounding_box()
    word = page.locator("#emotions-calm-word").bounding_box()
    assert abs((box["y"] + box["height"] / 2) - (word["y"] + word["height"] / 2)) < 12
    a11y()


@phone
def test_find_a_word_searches_every_quadrant(page, a11y, signed_in):
    page.goto("/journal/new/")
    journey = Journey(page)
    page.get_by_role("radio", name="Calm, at ease low energy, pleasant").check()
    journey.tap(page.get_by_label("Find a word"))
    page.get_by_label("Find a word").fill("anx")
    expect(page.get_by_text("1 word shown")).to_be_visible()
    journey.tap(page.get_by_label("anxious", exact=True))  # not in the open quadrant
    print(f"\nsearch: {journey.taps} taps, {journey.scrolled:.0f}px scrolled")
    assert journey.scrolled <= SCREEN
    expect(page.get_by_role("group", name="How strong is “anxious”?")).to_be_visible()
    a11y()


@phone
def test_a_quick_feeling_from_today_in_two_taps(page, a11y, signed_in):
    page.goto("/")
    journey = Journey(page)
    journey.tap(page.get_by_role("link", name="Calm, at ease low energy, pleasant"))
    journey.tap(page.get_by_role("button", name="calm", exact=True))
    saved = page.get_by_role("status").filter(has_text="Saved: you named calm")
    expect(saved).to_be_visible()
    expect(saved).to_be_focused()
    print(f"\nquick feeling: {journey.taps} taps, {journey.scrolled:.0f}px scrolled")
    assert journey.taps == 2 and journey.scrolled <= SCREEN
    named = NamedEmotion.objects.get()
    assert (named.emotion.word, named.intensity, named.entry.body) == ("calm", 3, "")
    assert widest_overflow(page) == []
    a11y()


@phone
def test_focus_moves_to_the_saved_message_after_rerating(page, a11y, signed_in):
    entry = make_entry(signed_in, body="A long day.", feelings=[("tired", 4)])
    page.goto(f"/journal/{entry.public_id}/")
    page.get_by_role("group", name="Now that you've named it, how strong is “tired”?").get_by_label(
        "2", exact=True
    ).check()
    page.get_by_role("button", name="Save the new strength of “tired”").click()
    saved = page.get_by_role("status").filter(has_text="Saved: “tired” is 2 of 5 now.")
    expect(saved).to_be_focused()
    assert JournalEntry.objects.get().named_emotions.get().intensity_after == 2
    a11y()


@phone
def test_where_in_your_body_stays_open_when_a_strength_changes_after_it_was_opened(
    page, a11y, signed_in
):
    page.goto("/journal/new/")
    page.get_by_role("radio", name="Low, heavy low energy, unpleasant").check()
    with page.expect_response("**/journal/new/feelings/"):
        page.get_by_label("tired", exact=True).check()
    page.get_by_text("Where in your body do you feel it?").click()
    body = page.get_by_label("Where in your body do you feel “tired”? (optional)")
    expect(body).to_be_visible()
    # The strength redraws the rows below; what the person opened stays open.
    with page.expect_response("**/journal/new/feelings/"):
        page.get_by_role("group", name="How strong is “tired”?").get_by_label("a lot").check()
    expect(body).to_be_visible()
    body.select_option("Chest or heart")
    a11y()
