"""Spoken guidance and the meditation timer's modes, on a phone in a real browser.

Headless Chromium may have no voices, so the tests record the calls the page
makes to speechSynthesis (and to navigator.vibrate and the Web Audio API)
through an init script that wraps them, rather than listening for sound.
"""

import json
import re
import time

import pytest
from playwright.sync_api import expect

from practices.models import PracticeSession, PracticeStep
from tests.browser.measure import phone
from tests.browser.test_practices_journeys import SLOW, begin, log_in, open_practice, stage_heading

RECORD_CALLS = """
window.__spoken = [];
window.__cancels = 0;
window.__buzzes = [];
window.__oscillators = 0;
if (window.speechSynthesis) {
  const speak = speechSynthesis.speak.bind(speechSynthesis);
  const cancel = speechSynthesis.cancel.bind(speechSynthesis);
  speechSynthesis.speak = (utterance) => {
    window.__spoken.push({text: utterance.text, rate: utterance.rate, volume: utterance.volume});
    try { speak(utterance); } catch (error) {}
  };
  speechSynthesis.cancel = () => { window.__cancels += 1; cancel(); };
}
navigator.vibrate = (pattern) => { window.__buzzes.push(pattern); return true; };
const createOscillator = AudioContext.prototype.createOscillator;
AudioContext.prototype.createOscillator = function () {
  window.__oscillators += 1;
  return createOscillator.call(this);
};
"""


@pytest.fixture
def recorded(page):
    page.add_init_script(RECORD_CALLS)
    return page


def spoken(page) -> list[dict]:
    return page.evaluate("window.__spoken")


def wait_until_spoken(page, count: int) -> None:
    """Waits for the count of utterances (polled from here: the page's CSP forbids eval)."""
    deadline = time.monotonic() + SLOW / 1000
    while len(spoken(page)) < count:
        assert time.monotonic() < deadline, f"fewer than {count} utterances: {spoken(page)}"
        page.wait_for_timeout(100)


def cue_of(slug: str, position: int) -> str:
    step = PracticeStep.objects.filter(practice__slug=slug).order_by("position", "id")[position]
    return step.cue


@phone
def test_reading_aloud_speaks_each_step_as_it_begins_stops_with_a_pause_and_is_remembered(
    recorded, a11y, settings
):
    page = recorded
    settings.PRACTICE_SECONDS_SCALE = 0.25  # three minutes take 45 seconds, a region about 4
    log_in(page, a11y)
    open_practice(page, a11y, "Body scan")
    page.get_by_role("radio", name="3 minutes", exact=True).check()
    begin(page, a11y)
    page.get_by_role("button", name="Skip the check-in and begin").click()
    expect(stage_heading(page)).to_have_text("Feet")
    read_aloud = page.get_by_label("Read aloud")
    expect(read_aloud).to_be_visible()
    expect(read_aloud).not_to_be_checked()  # off until the person turns it on
    assert spoken(page) == []
    a11y()

    read_aloud.check()  # turning it on reads the step on screen now
    first = spoken(page)
    assert len(first) == 1
    assert first[0]["text"] == f"Feet. {cue_of('body-scan', 0)}"
    assert json.loads(page.evaluate("localStorage.getItem('riverwise.readAloud')"))["on"] is True

    page.get_by_text("Voice, speed and volume").click()
    expect(page.get_by_label("Voice")).to_be_visible()
    page.get_by_label("Speed").fill("1.2")
    page.get_by_label("Volume").fill("0.5")
    a11y()

    # The next region begins by itself, and its cue is read with the chosen speed and volume.
    second_cue = cue_of("body-scan", 1)
    expect(page.locator(".practice-step-count")).to_have_text("Step 2 of 12", timeout=SLOW)
    wait_until_spoken(page, 2)
    latest = spoken(page)[-1]
    assert latest["text"].endswith(second_cue)
    assert (latest["rate"], latest["volume"]) == pytest.approx((1.2, 0.5))
    # Screen readers keep their own short announcement of the step.
    expect(page.locator("#practice-announcer")).to_have_text(re.compile("^Ankles"))
    # The disclosure stays open from one step to the next.
    expect(page.get_by_label("Speed")).to_be_visible()

    cancels = page.evaluate("window.__cancels")
    said = len(spoken(page))
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_text("Paused, with")).to_be_visible()
    assert page.evaluate("window.__cancels") > cancels  # the voice stops with the practice
    page.wait_for_timeout(1500)
    assert len(spoken(page)) == said
    paused_step = (
        f"{stage_heading(page).text_content()}. {page.locator('.practice-cue').text_content()}"
    )

    page.reload()
    expect(page.get_by_label("Read aloud")).to_be_checked()  # remembered on this device
    expect(page.get_by_label("Speed")).to_have_value("1.2")
    a11y()
    assert spoken(page) == []  # a paused page says nothing (the record starts afresh)
    page.get_by_role("button", name="Resume").click()  # resuming reads the step again
    wait_until_spoken(page, 1)
    assert spoken(page)[0]["text"] == paused_step

    page.get_by_label("Read aloud").uncheck()
    assert json.loads(page.evaluate("localStorage.getItem('riverwise.readAloud')"))["on"] is False
    page.get_by_role("button", name="End early").click()
    expect(stage_heading(page)).to_have_text(re.compile("^You practised for"))
    a11y()


@phone
def test_breathwork_phases_are_read_aloud_when_asked(recorded, a11y, settings):
    page = recorded
    settings.PRACTICE_SECONDS_SCALE = 0.05
    log_in(page, a11y)
    page.evaluate(
        "localStorage.setItem('riverwise.readAloud', JSON.stringify({on: true, rate: 1}))"
    )
    open_practice(page, a11y, "Breathwork")
    page.get_by_label("Box breathing, 4-4-4-4").check()
    begin(page, a11y)
    page.get_by_role("button", name="Skip the check-in and begin").click()
    expect(page.locator("[data-pacer-label]")).to_have_text("Hold", timeout=SLOW)
    texts = [utterance["text"] for utterance in spoken(page)]
    assert texts[:2] == ["Breathe in", "Hold"]
    a11y()


@phone
def test_an_endless_timer_with_a_five_second_delay_counts_up_from_the_delays_end(
    recorded, a11y, settings
):
    page = recorded
    settings.PRACTICE_SECONDS_SCALE = 0.05  # an interval of a minute rings every 3 seconds
    user = log_in(page, a11y)
    open_practice(page, a11y, "Meditation timer")
    page.get_by_role("radio", name="No set end: count up until you finish").check()
    page.get_by_label("Interval bell").select_option("1")
    page.get_by_label("Settle first").select_option("5")
    begin(page, a11y)
    tapped = time.monotonic()
    page.get_by_role("button", name="Skip the check-in and begin").click()
    expect(stage_heading(page)).to_have_text("Sit")
    settling = page.locator("[data-settling-note]")
    expect(settling).to_contain_text(re.compile(r"The clock starts in [1-5] seconds"))
    expect(page.locator("[data-clock-up]")).to_have_text("0:00")
    expect(page.get_by_role("progressbar")).to_have_count(0)
    a11y()

    expect(settling).to_be_hidden(timeout=SLOW)
    assert time.monotonic() - tapped >= 4.5
    expect(page.locator("#practice-announcer")).to_have_text("The clock has started")
    expect(page.locator("[data-clock-up]")).not_to_have_text("0:00", timeout=SLOW)
    expect(page.locator("#practice-announcer")).to_have_text("Interval bell", timeout=SLOW)
    expect(page.locator("[data-bell-note]")).to_have_text("Bell")
    assert page.evaluate("window.__oscillators") > 0  # the bells ring while the sound is on
    a11y()

    page.wait_for_timeout(2000)
    finished = time.monotonic()
    page.get_by_role("button", name="Finish").click()
    expect(stage_heading(page)).to_have_text(re.compile("^You practised for"))
    a11y()
    page.get_by_role("button", name="Skip the check-in").click()
    expect(page.get_by_text("You finished the whole practice.")).to_be_visible()
    a11y()

    session = PracticeSession.objects.get(user=user)
    assert session.parameters == {
        "endless": True,
        "sound": True,
        "interval_minutes": 1,
        "start_delay": 5,
    }
    assert session.completed is True
    # The five seconds of settling are not counted.
    assert 3 <= session.seconds_practised <= round(finished - tapped - 5) + 1


@phone
def test_a_silent_timer_glows_and_buzzes_instead_of_ringing(recorded, a11y, settings):
    page = recorded
    settings.PRACTICE_SECONDS_SCALE = 0.02  # five minutes take 6 seconds, bells every 1.2
    user = log_in(page, a11y)
    open_practice(page, a11y, "Meditation timer")
    page.get_by_role("radio", name="5 minutes", exact=True).check()
    page.get_by_label("Interval bell").select_option("1")
    page.get_by_label("Silent: no bells at all").check()
    begin(page, a11y)
    page.get_by_role("button", name="Skip the check-in and begin").click()
    expect(stage_heading(page)).to_have_text("Sit")
    expect(page.get_by_label("Sound on")).to_have_count(0)
    expect(page.locator(".practice-page.is-glowing")).to_have_count(1, timeout=SLOW)
    assert page.evaluate("window.__buzzes")[0] == [200, 100, 200]
    a11y()
    expect(stage_heading(page)).to_have_text("You've reached the end", timeout=SLOW)
    assert page.evaluate("window.__buzzes")[-1] == [400]
    assert page.evaluate("window.__oscillators") == 0  # not one bell
    a11y()
    session = PracticeSession.objects.get(user=user)
    assert (session.parameters["silent"], session.parameters["sound"]) == (True, False)
    assert session.completed is True
