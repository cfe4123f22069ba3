import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from accounts.models import User
from journal.models import EmotionWord, FacesRating, IntegrationCheckIn, JournalEntry, Rupture
from journal.vocabulary import sync_vocabulary
from tests.browser.test_account_journey import PASSWORD, sign_up
from tests.journal.factories import make_entry

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def vocabulary(a11y):
    # a11y sets the database up first (with serialized rollback, which restores
    # the words); asking for transactional_db here instead would switch that off
    # and leave later tests without seeded data. This is only a cheap guard.
    sync_vocabulary(EmotionWord)


def berlin_today():
    return datetime.now(BERLIN).date()


def long_date(day) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def journal_nav(page):
    return page.get_by_role("navigation", name="Journal")


def test_write_an_entry_with_two_feelings_rate_faces_find_it_by_search_and_edit_it(page, a11y):
    sign_up(page, a11y, email="wren@example.com")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Journal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your journal")
    a11y()

    page.get_by_role("link", name="Write an entry").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New entry")
    a11y()
    before = datetime.now(BERLIN).strftime("%H:%M")
    page.get_by_label("What's on your mind?").fill(
        "Walked along the river after a hard meeting.\nThe water helped."
    )
    # Autosave: a draft is kept a few seconds after typing stops, and the time
    # shown is the writer's own.
    status = page.locator("#autosave-status")
    expect(status).to_have_text(re.compile(r"^Saved \d\d:\d\d$"), timeout=10_000)
    after = datetime.now(BERLIN).strftime("%H:%M")
    assert status.inner_text().removeprefix("Saved ") in {before, after}
    draft = JournalEntry.objects.get()
    assert draft.is_draft and draft.local_date == berlin_today()
    a11y()

    # Name it to tame it: find words, pick two, say how strong each is.
    page.get_by_label("Find a word").fill("hope")
    expect(page.get_by_text("2 words shown")).to_be_visible()
    expect(page.get_by_label("calm", exact=True)).to_be_hidden()
    page.get_by_label("hopeful", exact=True).check()
    page.get_by_label("Find a word").fill("")
    # Then by quadrant: its words show, each with what it means.
    expect(page.get_by_label("anxious", exact=True)).to_be_hidden()
    page.get_by_role("radio", name=re.compile(r"^Tense, upset")).check()
    expect(page.get_by_text("uneasy about what might come")).to_be_visible()
    page.get_by_label("anxious", exact=True).check()
    anxious = page.get_by_role("group", name="How strong is “anxious”?")
    hopeful = page.get_by_role("group", name="How strong is “hopeful”?")
    expect(anxious).to_be_visible()
    expect(hopeful).to_be_visible()
    a11y()
    anxious.get_by_label("a lot", exact=True).check()
    page.get_by_text("Where in your body do you feel them?").click()
    page.get_by_label("Where in your body do you feel “anxious”? (optional)").select_option(
        "Chest or heart"
    )
    hopeful.get_by_label("a little", exact=True).check()
    page.get_by_label("Tags (optional)").fill("walks")
    page.get_by_role("button", name="Save entry").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(long_date(berlin_today()))
    expect(page.get_by_text("The water helped.")).to_be_visible()
    expect(
        page.get_by_text("Strength when named: 4 of 5. Felt in: chest or heart.")
    ).to_be_visible()
    a11y()
    entry = JournalEntry.objects.get()
    assert entry.pk == draft.pk and not entry.is_draft
    assert sorted(entry.named_emotions.values_list("emotion__word", "intensity")) == [
        ("anxious", 4),
        ("hopeful", 2),
    ]

    # After naming, rate again.
    page.get_by_role(
        "group", name="Now that you've named it, how strong is “anxious”?"
    ).get_by_label("2", exact=True).check()
    page.get_by_role("button", name="Save the new strength of “anxious”").click()
    expect(page.get_by_text("After naming: 2 of 5. It eased a little.")).to_be_visible()
    a11y()

    # FACES for today.
    journal_nav(page).get_by_role("link", name="FACES").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("FACES for today")
    a11y()
    for quality, score in [
        ("Flexible", "4"),
        ("Adaptive", "3"),
        ("Coherent", "3"),
        ("Energized", "2"),
        ("Stable", "4"),
    ]:
        page.get_by_role("group", name=quality).get_by_label(score, exact=True).check()
    page.get_by_role("button", name="Save today's rating").click()
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^Saved for "))
    a11y()
    rating = FacesRating.objects.get()
    assert (rating.local_date, rating.flexible, rating.energized) == (berlin_today(), 4, 2)

    # Find the entry again: by words, then by a feeling.
    journal_nav(page).get_by_role("link", name="Search").click()
    a11y()
    page.get_by_label("Words to find").fill("rivers")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 result")).to_be_visible()
    expect(page.locator("mark").first).to_have_text(re.compile("river", re.IGNORECASE))
    a11y()
    page.get_by_label("Words to find").fill("")
    page.get_by_label("Feeling", exact=True).select_option("anxious")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"emotion=anxious"))
    expect(page.get_by_role("heading", name="1 result")).to_be_visible()
    a11y()

    page.locator("#results").get_by_role("link", name=long_date(berlin_today())).click()
    expect(page.get_by_text("The water helped.")).to_be_visible()
    a11y()
    page.get_by_role("link", name="Edit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit your entry")
    expect(page.get_by_label("anxious", exact=True)).to_be_checked()
    a11y()
    page.get_by_label("What's on your mind?").fill(
        "Walked along the river. Tomorrow I'll go again."
    )
    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_text("Your changes are saved.")).to_be_visible()
    expect(page.get_by_text("Tomorrow I'll go again.")).to_be_visible()
    a11y()
    entry.refresh_from_db()
    assert entry.body == "Walked along the river. Tomorrow I'll go again."
    assert entry.named_emotions.get(emotion__word="anxious").intensity_after == 2


def test_check_in_on_the_river_log_a_rupture_and_its_repair_and_find_them_again(page, a11y):
    sign_up(page, a11y, email="ash@example.com")
    page.goto("/journal/")
    a11y()
    page.get_by_role("link", name="Do an integration check-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Integration check-in")
    a11y()
    page.get_by_label("Easily overwhelmed").check()
    page.get_by_label("I noticed what was going on inside me").check()
    page.get_by_label("Chaos", exact=True).fill("8")
    reading = page.locator("[data-river-form] [data-river-reading]")
    expect(reading).to_have_text("Near the chaos bank (chaos 8, rigidity 5)")
    # The sliders work from the keyboard too.
    page.get_by_label("Rigidity", exact=True).focus()
    for _ in range(3):
        page.keyboard.press("ArrowLeft")
    expect(reading).to_have_text("Near the chaos bank (chaos 8, rigidity 2)")
    expect(page.locator("[data-river-form] [data-river-marker]")).to_have_attribute("cx", "82")
    page.get_by_label("Anything you'd like to remember (optional)").fill("Too many tabs open.")
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_role("status")).to_have_text(
        "Saved. Thank you for checking in with yourself."
    )
    expect(page.get_by_role("article").first).to_contain_text(
        "Near the chaos bank (chaos 8, rigidity 2)"
    )
    a11y()
    check_in = IntegrationCheckIn.objects.get()
    assert (check_in.chaos, check_in.rigidity, check_in.local_date) == (8, 2, berlin_today())

    journal_nav(page).get_by_role("link", name="Repair").click()
    a11y()
    page.get_by_role("link", name="Reflect on a rupture").click()
    a11y()
    page.get_by_label("Who was it with?").fill("partner")
    page.get_by_label("What happened?").fill("I was short with her about the dishes.")
    page.get_by_label("frustrated", exact=True).check()
    page.get_by_label("ashamed", exact=True).check()
    page.get_by_label("My part, as I see it now (optional)").fill("I was tired and didn't say so.")
    page.get_by_role("button", name="Save reflection").click()
    expect(page.get_by_text("Noticing a rupture is already a step toward repair.")).to_be_visible()
    expect(page.get_by_text("Not repaired yet. This happened today.")).to_be_visible()
    a11y()

    page.get_by_role("link", name=re.compile(r"^Update")).click()
    a11y()
    page.get_by_role("group", name="Have you tried to repair?").get_by_label("Yes").check()
    page.get_by_label("When did you reconnect? (once you have)").fill(berlin_today().isoformat())
    page.get_by_label("How did it go? (optional)").fill("We talked it through over tea.")
    page.get_by_role("button", name="Save reflection").click()
    expect(page.get_by_text("You reconnected the same day.")).to_be_visible()
    expect(page.get_by_text("Nothing open right now.")).to_be_visible()
    a11y()
    rupture = Rupture.objects.get()
    assert rupture.days_to_repair == 0
    assert sorted(rupture.felt.values_list("word", flat=True)) == ["ashamed", "frustrated"]

    journal_nav(page).get_by_role("link", name="Search").click()
    a11y()
    for words, kind in [("dishes", "Rupture and repair"), ("tabs", "Integration check-in")]:
        page.get_by_label("Words to find").fill(words)
        page.get_by_role("button", name="Search").click()
        expect(page.get_by_role("heading", name="1 result")).to_be_visible()
        expect(page.locator("#results .result-kind")).to_have_text(kind)
        a11y()


def test_words_typed_as_the_session_ends_come_back_after_logging_in(page, a11y, context):
    sign_up(page, a11y, email="fern@example.com")
    page.goto("/journal/new/")
    a11y()
    context.clear_cookies(name="sessionid")  # the session ends while writing
    words = "Words I would hate to lose"
    page.get_by_label("What's on your mind?").fill(words)
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/journal/new/autosave/"))
    a11y()
    # Kept for this tab only: never in localStorage, which outlives it.
    assert words not in page.evaluate("() => JSON.stringify({...localStorage})")
    assert words in page.evaluate("() => JSON.stringify({...sessionStorage})")

    page.get_by_label("Email").fill("fern@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/journal/new/$"))
    expect(page.get_by_label("What's on your mind?")).to_have_value(words)
    expect(page.get_by_text("We brought back words that hadn't been saved yet.")).to_be_visible()
    a11y()
    page.get_by_label("What's on your mind?").press("End")
    page.keyboard.type(", safely kept.")
    expect(page.locator("#autosave-status")).to_have_text(re.compile(r"^Saved "), timeout=10_000)
    assert JournalEntry.objects.get().body == words + ", safely kept."
    assert page.evaluate("() => sessionStorage.getItem('journal-unsent:new')") is None


def test_a_deleted_entry_can_be_brought_back_with_undo(page, a11y):
    sign_up(page, a11y, email="oak@example.com")
    entry = make_entry(
        User.objects.get(email="oak@example.com"), body="Still wanted", local_date=berlin_today()
    )
    page.goto(f"/journal/{entry.public_id}/")
    a11y()
    page.get_by_role("button", name="Delete this entry").click()
    expect(
        page.get_by_text("The entry is deleted. You can undo this here for 10 minutes.")
    ).to_be_visible()
    expect(page.get_by_text("Still wanted")).to_have_count(0)
    a11y()
    page.get_by_role("button", name=re.compile(r"^Undo deleting the entry")).click()
    expect(page.get_by_text("The entry is back.")).to_be_visible()
    expect(page.get_by_text("Still wanted")).to_be_visible()
    a11y()


def test_prompts_can_be_skipped_on_the_home_page_and_in_the_entry_form(page, a11y):
    sign_up(page, a11y, email="elm@example.com")
    page.goto("/journal/")
    a11y()
    card = page.locator("#prompt-card .prompt-text")
    first = card.inner_text()
    page.get_by_role("link", name="Show me another prompt").click()
    expect(card).not_to_have_text(first)
    expect(page.get_by_role("link", name="Show me another prompt")).to_be_focused()
    second = card.inner_text()
    a11y()
    page.get_by_role("link", name="Write about this").click()
    expect(page.locator("#form-prompt .prompt-text")).to_have_text(second)
    a11y()
    page.get_by_label("What's on your mind?").fill("Started writing")
    page.get_by_role("button", name="Another prompt").click()
    expect(page.locator("#form-prompt .prompt-text")).not_to_have_text(second)
    page.get_by_role("button", name="Write without a prompt").click()
    expect(page.get_by_role("button", name="Would a prompt help? Show me one")).to_be_visible()
    expect(page.get_by_label("What's on your mind?")).to_have_value("Started writing")
    a11y()
