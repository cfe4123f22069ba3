"""Each of the five practices, done in a real browser, then found in the history.

Durations are shortened with PRACTICE_SECONDS_SCALE, which the live server
reads on every request.
"""

import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from accounts.models import User
from ipnb_site.templatetags.wording import duration
from practices.models import Practice, PracticeSession

PASSWORD = "a-calm-river-42"
# Auto-advancing steps and the end of a timed practice: generous, never flaky.
SLOW = 20_000


@pytest.fixture(autouse=True)
def quick(settings):
    settings.PRACTICE_SECONDS_SCALE = 0.01


def log_in(page, a11y, email="rowan@example.com", timezone="Asia/Tokyo") -> User:
    assert Practice.objects.count() == 5  # tests/conftest.py puts the seeded catalog back
    user = User.objects.create_user(email, PASSWORD, display_name="Rowan", timezone=timezone)
    page.goto("/accounts/login/")
    a11y()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Rowan")
    a11y()
    return user


def open_practice(page, a11y, name: str):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Practise").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Practices")
    a11y()
    page.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    a11y()


def begin(page, a11y):
    page.get_by_role("button", name="Begin", exact=True).click()
    expect(page.get_by_role("heading", name="Before you begin")).to_be_visible()
    a11y()


def stage_heading(page):
    return page.locator("#stage-heading")


def find_in_history(page, a11y, session: PracticeSession, zone: str):
    page.get_by_role("link", name="See your practice history").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your practice history")
    a11y()
    local = session.started_at.astimezone(ZoneInfo(zone))
    entry = page.locator(".history-item").filter(has_text=session.practice.name)
    expect(entry).to_have_count(1)
    expect(entry.locator("time")).to_have_text(f"{local:%A} {local.day} {local:%B %Y, %H:%M}")
    expect(entry.locator(".history-duration")).to_have_text(duration(session.seconds_practised))
    return entry


def test_breathwork_with_both_check_ins_from_the_catalog_to_the_history(page, a11y, settings):
    settings.PRACTICE_SECONDS_SCALE = 0.03  # three minutes take about five seconds
    user = log_in(page, a11y)
    open_practice(page, a11y, "Breathwork")
    page.get_by_label("Resonance breathing").check()
    page.get_by_label("Breaths a minute").fill("6")
    page.get_by_role("radio", name="3 minutes", exact=True).check()
    begin(page, a11y)

    page.get_by_label("One word for how you feel (optional)").fill("restless")
    loads = len(a11y.loaded)
    page.get_by_role("button", name="3", exact=True).click()  # one tap answers and begins
    expect(stage_heading(page)).to_have_text("Follow the shape")
    label = page.locator("[data-pacer-label]")
    expect(label).to_have_text(re.compile(r"Breathe (in|out)"))
    expect(page.locator("#practice-announcer")).to_have_text(re.compile(r"Breathe (in|out)"))
    # The shape grows and shrinks (no reduced-motion preference here).
    shape = page.locator("[data-pacer-shape]")
    expect(shape).to_be_visible()
    assert "scale(" in shape.evaluate("el => el.style.transform")
    assert len(a11y.loaded) == loads  # swapped in by htmx, no page load
    a11y()

    expect(stage_heading(page)).to_have_text("You've reached the end", timeout=SLOW)
    a11y()
    page.get_by_label("A note for yourself (optional)").fill("Shoulders dropped.")
    page.get_by_role("button", name="7", exact=True).click()  # saves the note with it
    expect(stage_heading(page)).to_have_text("Saved. Thank you for taking this time, Rowan.")
    expect(page.get_by_text("3 before, 7 after")).to_be_visible()
    a11y()

    session = PracticeSession.objects.get(user=user)
    assert session.completed is True
    assert session.parameters["pattern"] == "resonance"
    assert session.parameters["breaths_per_minute"] == 6.0
    assert (session.before_rating, session.before_emotion, session.after_rating) == (
        3,
        "restless",
        7,
    )
    assert session.notes == "Shoulders dropped."
    assert session.planned_seconds - 1 <= session.seconds_practised <= session.planned_seconds
    entry = find_in_history(page, a11y, session, "Asia/Tokyo")
    expect(entry).to_contain_text("Finished")
    expect(entry).to_contain_text("Shoulders dropped.")


def test_grounding_without_check_ins_keeps_what_was_noticed(page, a11y):
    user = log_in(page, a11y, timezone="America/New_York")
    open_practice(page, a11y, "Grounding 5-4-3-2-1")
    page.get_by_label("See, hear, touch, smell, taste").check()
    begin(page, a11y)
    page.get_by_role("button", name="Skip the check-in and begin").click()
    expect(stage_heading(page)).to_have_text("5 things you can see")
    a11y()

    page.get_by_label("1 of 5").fill("a lamp")
    page.get_by_label("2 of 5").fill("rain on the window")
    page.get_by_label("2 of 5").press("Enter")  # Enter moves on, like the Next button
    expect(stage_heading(page)).to_have_text("4 things you can hear")
    expect(stage_heading(page)).to_be_focused()  # keyboard and screen reader land on the new sense
    a11y()
    page.get_by_label("1 of 4").fill("a bus")
    page.get_by_role("button", name="Next: 3 things you can touch").click()
    expect(stage_heading(page)).to_have_text("3 things you can touch")
    page.get_by_role("button", name="Next: 2 things you can smell").click()
    expect(stage_heading(page)).to_have_text("2 things you can smell")
    # Pressing Next keeps focus on Next, now pointing at the sense after.
    expect(page.get_by_role("button", name="Next: 1 thing you can taste")).to_be_focused()
    page.get_by_label("1 of 2").fill("coffee")
    page.get_by_role("button", name="Next: 1 thing you can taste").click()
    expect(stage_heading(page)).to_have_text("1 thing you can taste")
    page.get_by_label("1 of 1").fill("mint")
    page.get_by_role("button", name="Finish").click()

    expect(stage_heading(page)).to_have_text("You've reached the end")
    page.get_by_role("button", name="Skip the check-in").click()
    expect(stage_heading(page)).to_have_text("Saved. Thank you for taking this time, Rowan.")
    expect(page.get_by_text("5 things you can see: a lamp, rain on the window")).to_be_visible()
    a11y()

    session = PracticeSession.objects.get(user=user)
    assert session.grounding_answers == {
        "see": ["a lamp", "rain on the window"],
        "hear": ["a bus"],
        "touch": [],
        "smell": ["coffee"],
        "taste": ["mint"],
    }
    assert (session.completed, session.before_rating, session.after_rating) == (True, None, None)
    entry = find_in_history(page, a11y, session, "America/New_York")
    expect(entry).to_contain_text("Finished")


def test_a_body_scan_moves_through_its_regions_by_itself_and_can_pause(page, a11y):
    user = log_in(page, a11y)
    open_practice(page, a11y, "Body scan")
    page.get_by_role("radio", name="3 minutes", exact=True).check()
    begin(page, a11y)
    page.get_by_role("button", name="5", exact=True).click()
    expect(page.locator(".practice-step-count")).to_be_visible()
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_text("Paused, with")).to_be_visible()
    paused_on = page.locator(".practice-step-count").text_content()
    page.wait_for_timeout(600)  # far longer than a region takes at this speed
    expect(page.locator(".practice-step-count")).to_have_text(paused_on)
    a11y()

    page.get_by_role("button", name="Resume").click()
    expect(stage_heading(page)).to_have_text("You've reached the end", timeout=SLOW)
    page.get_by_role("button", name="8", exact=True).click()
    expect(stage_heading(page)).to_have_text(re.compile("^Saved"))
    a11y()

    session = PracticeSession.objects.get(user=user)
    assert (session.completed, session.step, session.before_rating, session.after_rating) == (
        True,
        11,
        5,
        8,
    )
    find_in_history(page, a11y, session, "Asia/Tokyo")


def test_the_wheel_of_awareness_ends_with_an_optional_sift_note(page, a11y):
    user = log_in(page, a11y)
    open_practice(page, a11y, "Wheel of Awareness")
    page.get_by_role("radio", name="10 minutes", exact=True).check()
    begin(page, a11y)
    page.get_by_role("button", name="Skip the check-in and begin").click()
    expect(stage_heading(page)).to_have_text("Find the hub")
    expect(page.locator("#practice-announcer")).to_have_text(
        re.compile("Rim: the five senses"), timeout=SLOW
    )
    expect(stage_heading(page)).to_have_text("You've reached the end", timeout=SLOW)
    a11y()
    page.get_by_label("Sensations").fill("Warm hands")
    page.get_by_label("Feelings").fill("Tender")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Sensations: Warm hands")).to_be_visible()
    a11y()

    session = PracticeSession.objects.get(user=user)
    assert session.completed is True
    assert session.notes == "Sensations: Warm hands\n\nFeelings: Tender"
    find_in_history(page, a11y, session, "Asia/Tokyo")


def test_the_meditation_timer_rings_intervals_pauses_survives_a_reload_and_ends_early(
    page, a11y, settings
):
    settings.PRACTICE_SECONDS_SCALE = 0.05  # five minutes take 15 seconds, bells every 3
    user = log_in(page, a11y)
    open_practice(page, a11y, "Meditation timer")
    page.get_by_role("radio", name="5 minutes", exact=True).check()
    page.get_by_label("Interval bell").select_option("1")
    begin(page, a11y)
    page.get_by_role("button", name="Skip the check-in and begin").click()
    expect(stage_heading(page)).to_have_text("Sit")
    expect(page.get_by_label("Sound on")).to_be_checked()
    expect(page.locator("#practice-announcer")).to_have_text("Interval bell", timeout=SLOW)
    expect(page.locator("[data-bell-note]")).to_have_text("Bell")  # seen as well as heard

    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_text("Paused, with")).to_be_visible()
    left = page.locator("[data-clock-left]").text_content()
    page.wait_for_timeout(1500)
    expect(page.locator("[data-clock-left]")).to_have_text(left)
    a11y()

    page.reload()
    expect(page.get_by_text("Paused, with")).to_be_visible()
    expect(page.locator("[data-clock-left]")).to_have_text(left)
    a11y()
    page.get_by_role("button", name="Resume").click()
    expect(page.locator("[data-clock-left]")).not_to_have_text(left)
    page.get_by_role("button", name="End early").click()
    expect(stage_heading(page)).to_have_text(re.compile("^You practised for"))
    a11y()
    page.get_by_role("button", name="Skip the check-in").click()
    expect(page.get_by_text("You stopped partway, and that's fine")).to_be_visible()

    session = PracticeSession.objects.get(user=user)
    assert session.completed is False
    assert 3 <= session.seconds_practised < 15
    entry = find_in_history(page, a11y, session, "Asia/Tokyo")
    expect(entry).to_contain_text("Ended early")


@pytest.mark.browser_context_args(reduced_motion="reduce")
def test_with_reduced_motion_the_pacer_keeps_still_and_shows_words_and_progress(
    page, a11y, settings
):
    settings.PRACTICE_SECONDS_SCALE = 0.05
    log_in(page, a11y)
    open_practice(page, a11y, "Breathwork")
    page.get_by_label("Box breathing, 4-4-4-4").check()
    begin(page, a11y)
    page.get_by_role("button", name="Skip the check-in and begin").click()
    expect(page.locator("[data-pacer-label]")).to_have_text("Breathe in")
    progress = page.get_by_role("progressbar", name="How far through this part of the breath")
    expect(progress).to_be_visible()
    expect(page.locator("[data-pacer-shape]")).to_be_hidden()
    assert page.locator("[data-pacer-shape]").evaluate("el => el.style.transform") == ""
    expect(page.locator("[data-pacer-label]")).to_have_text("Hold", timeout=SLOW)
    a11y()


def test_every_practice_page_passes_the_accessibility_check(page, a11y):
    user = log_in(page, a11y)
    for slug in ["body-scan", "grounding", "breathwork", "wheel-of-awareness", "meditation-timer"]:
        page.goto(f"/practices/{slug}/")
        a11y()
    page.goto("/practices/history/")
    expect(page.get_by_text("Nothing here yet.")).to_be_visible()
    a11y()

    page.goto("/practices/log/?practice=grounding")
    a11y()
    page.get_by_label("Minutes").fill("500")
    page.get_by_role("button", name="Save to my history").click()
    expect(page.get_by_text("Enter at most 240 minutes (4 hours).")).to_be_visible()
    a11y()
    page.get_by_label("Minutes").fill("12")
    page.get_by_role("button", name="Save to my history").click()
    expect(page.get_by_text("Logged Grounding 5-4-3-2-1")).to_be_visible()
    a11y()

    session = PracticeSession.objects.get(user=user)
    page.get_by_role("link", name=re.compile("^Add a note")).click()
    expect(page.get_by_label("Your note")).to_be_focused()  # swapped in place, cursor ready
    a11y()
    page.get_by_label("Your note").fill("Walking, mostly.")
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_text("Note saved.")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Note saved.")).to_be_focused()
    a11y()
    assert PracticeSession.objects.get(pk=session.pk).notes == "Walking, mostly."

    page.goto(f"/practices/sessions/{session.public_id}/note/")
    a11y()
    page.goto(f"/practices/sessions/{session.public_id}/delete/")
    a11y()
    page.get_by_role("button", name="Delete the session").click()
    expect(page.get_by_text("That session is deleted.")).to_be_visible()
    a11y()
    assert not PracticeSession.objects.filter(pk=session.pk).exists()


def test_without_javascript_a_practice_still_works_with_plain_forms(
    browser, live_server, transactional_db
):
    # axe-core needs JavaScript, so this page is not checked here; the same
    # templates are checked by the tests above.
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    user = User.objects.create_user("ivy@example.com", PASSWORD, display_name="Ivy")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("ivy@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/practices/body-scan/")
    page.get_by_role("button", name="Begin", exact=True).click()
    page.get_by_role("button", name="Skip the check-in and begin").click()
    expect(stage_heading(page)).to_have_text("Feet")
    page.get_by_role("button", name="Next: Ankles and lower legs").click()
    expect(stage_heading(page)).to_have_text("Ankles and lower legs")
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_text("Paused, with")).to_be_visible()
    page.get_by_role("button", name="End early").click()
    expect(stage_heading(page)).to_have_text(re.compile("^You practised for"))
    page.get_by_role("button", name="Save").click()
    expect(stage_heading(page)).to_have_text("Saved. Thank you for taking this time, Ivy.")
    session = PracticeSession.objects.get(user=user)
    assert (session.step, session.completed, session.stage) == (1, False, "done")
    context.close()
