"""Today on a phone: where a newcomer starts, and months of history in a few screens.

Every figure is measured in the rendered page at 412×915: document height,
the rendered size of chart text and heatmap squares (at 360 px wide too), and
the contrast of each data colour against its card, in light and dark.
"""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from accounts.models import User
from practices.models import PracticeSession
from tests.browser.measure import (
    Journey,
    contrast_ratio,
    document_height,
    phone,
    widest_overflow,
)
from tests.progress.factories import ensure_catalog_and_vocabulary, make_history

PHONE_SCREEN = 915
NARROW_PHONE = {"width": 360, "height": 800}


@pytest.fixture(autouse=True)
def catalog_and_vocabulary(transactional_db):
    # Earlier live-server tests may have flushed what the data migrations filled.
    ensure_catalog_and_vocabulary()


def sign_in(page, live_server, user: User) -> None:
    """A signed-in browser without going through other pages' forms."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


SVG_TEXT_SIZES = """sel => [...document.querySelectorAll(sel)]
  .filter(el => el.getBoundingClientRect().width > 0)
  .map(el => {
    const svg = el.ownerSVGElement;
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return parseFloat(getComputedStyle(el).fontSize) * scale;
  })"""

HEAT_CELL_SIZES = """() => [...document.querySelectorAll('rect.heat')]
  .map(el => Math.min(el.getBoundingClientRect().width, el.getBoundingClientRect().height))"""

# Each data shape's rendered colour and the background of the card it sits on.
DATA_COLOURS = """sel => [...document.querySelectorAll(sel)].map(el => {
  let card = el.closest('.card');
  const style = getComputedStyle(el);
  const paint = style.fill !== 'none' && !el.matches('.heat-0') ? style.fill : style.stroke;
  return {shape: el.getAttribute('class') || el.parentElement.getAttribute('class'),
          colour: paint, background: getComputedStyle(card).backgroundColor};
})"""


def chart_text_sizes(page) -> list[float]:
    return page.evaluate(SVG_TEXT_SIZES, "svg text")


def contrasts(page, selector: str) -> dict[str, float]:
    """The lowest contrast of each kind of shape against its card."""
    lowest: dict[str, float] = {}
    for shape in page.evaluate(DATA_COLOURS, selector):
        ratio = contrast_ratio(shape["colour"], shape["background"])
        lowest[shape["shape"]] = min(ratio, lowest.get(shape["shape"], ratio))
    return lowest


@phone
def test_a_newcomer_is_told_where_to_start_and_starts_in_one_tap(page, live_server, a11y):
    newcomer = User.objects.create_user("ash.tree@example.com", timezone="Europe/Berlin")
    sign_in(page, live_server, newcomer)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello")
    start = page.get_by_role("region", name="Start here")
    for idea in ("FACES", "The river", "SIFT"):
        expect(start.get_by_text(idea, exact=True)).to_be_visible()
    expect(page.locator("main svg")).to_have_count(0)  # no empty charts
    height = document_height(page)
    assert height <= 2 * PHONE_SCREEN, height
    assert widest_overflow(page) == []
    a11y()

    # A name, saved without script, and then used.
    journey = Journey(page)
    page.get_by_label("What should we call you?").fill("Ash")
    journey.tap(page.get_by_role("button", name="Save my name"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Ash")
    a11y()

    # The first practice: one tap from Today to the practice, three minutes long.
    begin = page.get_by_role("button", name="Breathe for 3 minutes")
    on_first_screen = journey.on_first_screen(begin)
    journey.tap(begin)
    expect(page).to_have_url(re.compile(r"/practices/sessions/[0-9a-f-]+/$"))
    a11y()
    session = PracticeSession.objects.for_user(newcomer).get()
    assert session.parameters["minutes"] == 3
    print(
        f"\nfirst run: Today {height:.0f} px; begin on first screen: {on_first_screen}; "
        f"taps {journey.taps}, scrolled {journey.scrolled:.0f} px"
    )


@phone
def test_months_of_history_fit_in_three_and_a_half_phone_screens(page, live_server, a11y):
    person = User.objects.create_user(
        "brook@example.com", display_name="Brook", timezone="Europe/Berlin"
    )
    today = person.local_today()
    make_history(person, today - timedelta(days=300), today)
    sign_in(page, live_server, person)
    page.goto("/")
    expect(page.get_by_text("Suggested for today:")).to_be_visible()
    height = document_height(page)
    assert height <= 3.5 * PHONE_SCREEN, (
        f"Today is {height} px, {height / PHONE_SCREEN:.1f} screens"
    )
    assert widest_overflow(page) == []
    # The headline figures come before any chart.
    strength = page.locator("#strength-meter").bounding_box()
    first_chart = page.locator("main figure").first.bounding_box()
    assert strength["y"] < first_chart["y"]
    # The calendar scrolls sideways in a container a keyboard can reach, opened at the latest weeks.
    calendar = page.locator(".heatmap-wrap")
    expect(calendar).to_have_attribute("tabindex", "0")
    latest = page.locator("rect.heat").last.bounding_box()
    assert latest["x"] >= 0 and latest["x"] + latest["width"] <= 412
    a11y()

    sizes = {}
    for width in (412, NARROW_PHONE["width"]):
        page.set_viewport_size({"width": width, "height": 900})
        text, cells = chart_text_sizes(page), page.evaluate(HEAT_CELL_SIZES)
        assert text and min(text) >= 10, f"chart text {min(text):.1f} px at {width} px wide"
        assert cells and min(cells) >= 8, f"heatmap squares {min(cells):.1f} px at {width} px wide"
        assert widest_overflow(page) == []
        sizes[width] = (min(text), min(cells))
    page.set_viewport_size({"width": 412, "height": 915})

    figures = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        found = contrasts(page, "rect.heat, .chart-svg rect")
        assert all(ratio >= 3 for ratio in found.values()), (scheme, found)
        ramp = [found[f"heat heat-{level}"] for level in range(1, 5)]
        assert ramp == sorted(ramp) and len(set(ramp)) == 4, (scheme, ramp)  # more stands out more
        figures[scheme] = found
    page.emulate_media(color_scheme="light")

    # Details are a tap away, on their own page: the range's charts.
    journey = Journey(page)
    journey.tap(page.get_by_role("link", name="Your patterns"))
    expect(page.get_by_role("heading", name="Your patterns: 90 days")).to_be_visible()
    a11y()
    assert widest_overflow(page) == []
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        found = contrasts(page, ".chart-svg rect, .chart-line polyline, .chart-line circle")
        assert found and all(ratio >= 3 for ratio in found.values()), (scheme, found)
        figures[f"patterns {scheme}"] = found
    page.emulate_media(color_scheme="light")
    page.set_viewport_size(NARROW_PHONE)
    text = chart_text_sizes(page)
    assert min(text) >= 10, min(text)
    page.set_viewport_size({"width": 412, "height": 915})
    expect(page.locator(".faces-multiple")).to_have_count(5)

    # Switching the range swaps the charts in place and keeps focus on the choice.
    loads = len(a11y.loaded)
    ranges = page.get_by_role("navigation", name="Time range")
    journey.tap(ranges.get_by_role("link", name="1 year"))
    expect(page.get_by_role("heading", name="Your patterns: 1 year")).to_be_visible()
    assert len(a11y.loaded) == loads
    expect(ranges.get_by_role("link", name="1 year")).to_be_focused()
    a11y()
    ramps = {
        scheme: [round(figures[scheme][f"heat heat-{n}"], 2) for n in range(1, 5)]
        for scheme in ("light", "dark")
    }
    lowest = "; ".join(
        f"{where}: lowest {min(found.values()):.2f}" for where, found in figures.items()
    )
    print(
        f"\nToday with 300 days: {height:.0f} px = {height / PHONE_SCREEN:.2f} screens; "
        f"smallest chart text / heatmap square (px): {sizes}; {lowest}; heatmap ramp {ramps}"
    )


def test_the_range_switch_works_without_javascript(browser, live_server):
    person = User.objects.create_user("fern@example.com", display_name="Fern")
    make_history(person, person.local_today() - timedelta(days=60), person.local_today())
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    try:
        nojs = context.new_page()
        sign_in(nojs, live_server, person)
        nojs.goto("/progress/patterns/")
        nojs.get_by_role("link", name="All time").click()
        expect(nojs.get_by_role("heading", name="Your patterns: all time")).to_be_visible()
        assert nojs.url.endswith("/progress/patterns/?range=all")
    finally:
        context.close()
