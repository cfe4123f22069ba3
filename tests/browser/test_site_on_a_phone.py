"""The site's frame on a phone (412×915): header, tab bar, section menus, forms.

Figures are measured in the page and printed (`-s`) for the issue's closing note.
"""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from reminders.models import Reminder
from tests.browser.measure import phone, widest_overflow
from tests.conftest import PASSWORD, make_user

ONE_ROW = 72  # px: one 44 px row of links plus the header's padding and border


@pytest.fixture
def signed_in(page, a11y):
    make_user("wren@example.com", display_name="Wren", timezone="Europe/Berlin")
    page.goto("/accounts/login/")
    a11y()
    page.get_by_label("Email").fill("wren@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    a11y()
    return User.objects.get(email="wren@example.com")


def box(locator) -> dict:
    return locator.bounding_box()


def header_height(page) -> float:
    return box(page.locator(".site-header"))["height"]


def h1_top(page) -> float:
    return box(page.get_by_role("heading", level=1))["y"] + page.evaluate("window.scrollY")


@phone
def test_the_header_is_one_row_and_the_tab_bar_is_within_thumb_reach(page, a11y, signed_in):
    tabs = page.get_by_role("navigation", name="Main").get_by_role("link")
    expect(tabs).to_have_text(["Today", "Practise", "Journal", "Me"])
    # A fixed bar at the very bottom of the screen; every tab a 44 px target.
    for index in range(4):
        tab = box(tabs.nth(index))
        assert tab["height"] >= 44 and tab["width"] >= 44, tab
        assert tab["y"] + tab["height"] <= 915 and tab["y"] >= 915 - 80, tab
    print(f"\nphone tab: {box(tabs.nth(0))['width']:.0f}x{box(tabs.nth(0))['height']:.0f} px")

    pages = [
        ("/", "Today", None),
        ("/practices/", "Practise", "Practices"),
        ("/journal/", "Journal", None),
        ("/journal/faces/", "Journal", "FACES for today"),
        ("/journal/new/", "Journal", None),
        ("/accounts/me/", "Me", "Me"),
        ("/reminders/", "Me", "Reminders"),
        ("/accounts/settings/", "Me", "Settings"),
    ]
    for url, tab, heading in pages:
        page.goto(url)
        if heading:
            expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        current = page.get_by_role("navigation", name="Main").locator('[aria-current="page"]')
        expect(current).to_have_text(tab)
        height = header_height(page)
        top = h1_top(page)
        print(f"{url}: header {height:.0f} px, h1 at {top:.0f} px")
        assert height <= ONE_ROW, (url, height)
        # The page's purpose is on the first screen, well above the tab bar.
        assert top < 300, (url, top)
        assert widest_overflow(page) == [], url
        # The page is padded so the tab bar covers nothing at the end of it.
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        footer = box(page.get_by_role("link", name="Need help now? Crisis resources"))
        bar = box(page.get_by_role("navigation", name="Main"))
        assert footer["y"] + footer["height"] <= bar["y"], url
        a11y()


@phone
def test_the_crisis_link_is_one_tap_away_without_scrolling(page, a11y, signed_in):
    page.goto("/journal/new/")
    a11y()
    help_now = page.get_by_role("link", name="Help now", exact=True)
    assert box(help_now)["y"] < 80 and box(help_now)["height"] >= 44
    help_now.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("If you need help right now")
    a11y()


@phone
def test_a_visitor_has_a_one_row_header_and_no_tab_bar(page, a11y):
    page.goto("/")
    assert header_height(page) <= ONE_ROW
    expect(page.get_by_role("link", name="Sign up")).to_be_visible()
    expect(page.get_by_role("link", name="Help now", exact=True)).to_be_visible()
    assert widest_overflow(page) == []
    a11y()


def test_on_a_desktop_the_sections_sit_in_the_header(page, a11y, signed_in):
    nav = box(page.get_by_role("navigation", name="Main"))
    assert nav["y"] < 60
    assert header_height(page) <= ONE_ROW


@phone
def test_me_gathers_the_account_pages(page, a11y, signed_in):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Me").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Me")
    a11y()
    links = page.get_by_role("navigation", name="Your account").get_by_role("link")
    expect(links).to_have_count(6)
    for index in range(6):
        assert box(links.nth(index))["height"] >= 44
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


@phone
def test_the_journal_menu_is_one_row_that_scrolls_sideways(page, a11y, signed_in):
    page.goto("/journal/faces/")
    a11y()
    menu = page.get_by_role("navigation", name="Journal")
    links = menu.get_by_role("link")
    tops = {round(box(links.nth(index))["y"]) for index in range(links.count())}
    assert len(tops) == 1, tops
    assert box(menu)["height"] <= 50
    # The last link is reached by keyboard, scrolled into view in its row.
    last = links.nth(links.count() - 1)
    last.focus()
    last_box = box(last)
    assert last_box["x"] >= 0 and last_box["x"] + last_box["width"] <= 412


@phone
def test_faces_is_five_segmented_rows_keyboard_works_and_saving_focuses_the_message(
    page, a11y, signed_in
):
    page.goto("/journal/faces/")
    flexible = page.get_by_role("group", name="Flexible")
    segments = flexible.get_by_role("radio")
    expect(segments).to_have_count(5)
    labels = flexible.locator("label")
    tops = {round(box(labels.nth(index))["y"]) for index in range(5)}
    assert len(tops) == 1, f"the five choices wrap: {tops}"
    for index in range(5):
        assert box(labels.nth(index))["height"] >= 44 and box(labels.nth(index))["width"] >= 44
    # A screen reader hears what the ends mean.
    expect(flexible.get_by_role("radio", name="1 (stuck in one way)")).to_have_count(1)

    # Keyboard: as radios do, arrows move the choice along the row.
    labels.nth(2).click()
    expect(segments.nth(2)).to_be_checked()
    page.keyboard.press("ArrowRight")
    expect(segments.nth(3)).to_be_checked()
    expect(segments.nth(3)).to_be_focused()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(segments.nth(1)).to_be_checked()
    focused = segments.nth(1).evaluate("el => getComputedStyle(el.closest('label')).outlineStyle")
    assert focused != "none"

    for quality in ["Adaptive", "Coherent", "Energized", "Stable"]:
        page.get_by_role("group", name=quality).locator("label").nth(3).click()
    page.get_by_role("button", name="Save today's rating").click()
    saved = page.get_by_role("status").filter(has_text="Saved for")
    expect(saved).to_be_visible()
    expect(saved).to_be_focused()
    a11y()

    # The recent days scroll sideways inside a labelled region a keyboard can reach.
    history = page.get_by_role("region", name="Recent days table, scrolls sideways")
    expect(history).to_have_attribute("tabindex", "0")
    assert widest_overflow(page) == []


@phone
def test_adding_and_editing_a_reminder_moves_focus_to_its_row(page, a11y, signed_in):
    page.goto("/reminders/")
    a11y()
    page.get_by_label("At (your local time)").fill("08:15")
    on = page.get_by_label("On", exact=True)
    # The checkbox is beside its label, on one line, a 44 px hit area.
    label_box = box(page.locator("label.check-line").filter(has=on))
    assert label_box["height"] >= 44
    assert (
        abs(box(on)["y"] + box(on)["height"] / 2 - (label_box["y"] + label_box["height"] / 2)) < 4
    )
    assert box(on)["width"] >= 22
    page.get_by_role("button", name="Add reminder").click()
    expect(page.get_by_role("status").filter(has_text="Added.")).to_be_visible()
    reminder = Reminder.objects.get()
    row = page.locator(f"#reminder-{reminder.public_id}")
    expect(row.get_by_role("status")).to_have_text("Added.")
    expect(row).to_be_focused()
    a11y()

    row.get_by_role("link", name=re.compile("^Edit")).click()
    page.locator(f"#reminder-{reminder.public_id}").get_by_label("At (your local time)").fill(
        "09:45"
    )
    page.locator(f"#reminder-{reminder.public_id}").get_by_role("button", name="Save").click()
    row = page.locator(f"#reminder-{reminder.public_id}")
    expect(row.get_by_role("status")).to_have_text("Saved.")
    expect(row).to_be_focused()
    expect(row).to_contain_text("09:45")
    assert widest_overflow(page) == []
    a11y()


@phone
def test_the_time_zone_picker_suggests_zones_from_a_list_fetched_once(page, a11y, signed_in):
    fetched = []
    page.on("request", lambda r: fetched.append(r.url) if "/timezones/" in r.url else None)
    page.goto("/accounts/settings/")
    a11y()
    field = page.get_by_label("Your time zone", exact=True)
    expect(field).to_have_value("Europe/Berlin")
    field.focus()
    expect(field).to_have_attribute("list", "timezone-options")
    assert page.locator("#timezone-options option").count() > 300
    expect(page.locator('#timezone-options option[value="America/New_York"]')).to_have_count(1)
    field.fill("Asia/Tokyo")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status")).to_have_text("Saved. Your days now follow Asia/Tokyo.")
    # The swapped form's field uses the same list, fetched only once.
    page.get_by_label("Your time zone", exact=True).focus()
    expect(page.get_by_label("Your time zone", exact=True)).to_have_attribute(
        "list", "timezone-options"
    )
    assert len(fetched) == 1
    a11y()


# page.route() never sees what a service worker answers (from its cache of
# static files), so this test keeps the worker out.
@pytest.mark.browser_context_args(**phone.kwargs, service_workers="block")
def test_without_scripts_a_near_miss_is_answered_with_suggestions(page, a11y, signed_in):
    # None of the site's scripts load (htmx, the picker's): the form posts as plain HTML.
    # (axe itself needs JavaScript in the page, so it stays on.)
    page.route(re.compile(r"\.js(\?.*)?$"), lambda route: route.abort())
    page.goto("/accounts/settings/")
    field = page.get_by_label("Your time zone", exact=True)
    assert field.get_attribute("list") is None
    a11y()
    page.get_by_label("Your time zone", exact=True).fill("Europe/Berln")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text(re.compile("Did you mean Europe/Berlin"))).to_be_visible()
    a11y()
    page.get_by_label("Your time zone", exact=True).fill("lisbon")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Your settings are saved.")).to_be_visible()
    assert User.objects.get(email="wren@example.com").timezone == "Europe/Lisbon"
    a11y()
