import re

from django.core import mail
from playwright.sync_api import expect

from accounts.models import User

PASSWORD = "a-calm-river-42"


def sign_up(page, a11y, email="rowan@example.com"):
    page.goto("/accounts/signup/")
    a11y()
    # The browser's own zone (Europe/Berlin in these tests) is pre-selected.
    expect(page.get_by_label("Your time zone", exact=True)).to_have_value("Europe/Berlin")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("What should we call you? (optional)").fill("Rowan")
    page.get_by_role("button", name="Email me the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    expect(page.get_by_role("status")).to_contain_text(email)
    a11y()
    # The link in the email finishes the sign-up: choose a password.
    link = re.search(r"/accounts/signup/finish/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose your password")
    a11y()
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Rowan")
    a11y()


def test_sign_up_log_out_log_in_and_change_time_zone(page, a11y):
    sign_up(page, a11y)
    assert User.objects.get(email="rowan@example.com").timezone == "Europe/Berlin"

    # Log out lives on "Me", with the rest of the account.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Me").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Me")
    a11y()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in", exact=True)).to_be_visible()
    a11y()

    page.get_by_role("link", name="Log in", exact=True).click()
    a11y()
    page.get_by_label("Email").fill("Rowan@Example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Rowan")
    a11y()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Me").click()
    a11y()
    page.get_by_role("link", name="Settings").click()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Me")
    ).to_have_attribute("aria-current", "page")
    a11y()
    loads_before = len(a11y.loaded)
    page.get_by_label("Your time zone", exact=True).fill("America/New_York")
    page.get_by_role("button", name="Save settings").click()
    # HTMX swaps the form in place: a status message, no new page load.
    expect(page.get_by_role("status")).to_have_text("Saved. Your days now follow America/New_York.")
    assert len(a11y.loaded) == loads_before
    a11y()
    assert User.objects.get(email="rowan@example.com").timezone == "America/New_York"

    page.reload()
    expect(page.get_by_label("Your time zone", exact=True)).to_have_value("America/New_York")
    a11y()


def test_a_bad_settings_value_shows_a_field_error_in_place(page, a11y):
    sign_up(page, a11y, email="ash@example.com")
    page.goto("/accounts/settings/")
    a11y()
    page.get_by_label("Display name").fill("x" * 80)  # maxlength is bypassed below
    page.eval_on_selector("#id_display_name", "el => el.removeAttribute('maxlength')")
    page.get_by_label("Display name").fill("x" * 80)
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Ensure this value has at most 60 characters")).to_be_visible()
    expect(page.get_by_label("Display name")).to_have_attribute("aria-invalid", "true")
    a11y()
    assert User.objects.get(email="ash@example.com").display_name == "Rowan"


def test_an_expired_session_sends_an_htmx_save_to_the_login_page(page, a11y, context):
    sign_up(page, a11y, email="fern@example.com")
    page.goto("/accounts/settings/")
    a11y()
    context.clear_cookies(name="sessionid")  # the session ends; the CSRF cookie stays
    page.get_by_role("button", name="Save settings").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/accounts/settings/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome back")
    a11y()


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_content(page, a11y):
    page.goto("/")
    a11y()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()


def test_the_crisis_page_is_one_click_from_the_home_page(page, a11y):
    page.goto("/")
    a11y()
    page.get_by_role("link", name="Need help now? Crisis resources").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("If you need help right now")
    a11y()


def test_a_save_too_large_or_made_offline_is_explained_and_the_words_stay(page, a11y, context):
    sign_up(page, a11y, email="reed@example.com")
    page.goto("/accounts/settings/")
    a11y()
    huge = "x" * (2 * 1024 * 1024 + 1)  # past DATA_UPLOAD_MAX_MEMORY_SIZE
    page.eval_on_selector(
        "#id_display_name",
        "(el, value) => { el.removeAttribute('maxlength'); el.value = value }",
        huge,
    )
    page.get_by_role("button", name="Save settings").click()
    problem = page.get_by_role("alert").filter(has_text="too much to send at once")
    expect(problem).to_be_visible()
    assert page.input_value("#id_display_name") == huge  # still on the page
    a11y()

    page.get_by_label("Display name").fill("Reed")
    context.set_offline(True)
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("alert").filter(has_text="couldn't reach Riverwise")).to_be_visible()
    context.set_offline(False)
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("#request-problem")).to_be_hidden()
    expect(page.get_by_label("Display name")).to_have_value("Reed")
    a11y()
    assert User.objects.get(email="reed@example.com").display_name == "Reed"
