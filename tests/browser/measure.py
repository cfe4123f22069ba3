"""What the phone-first tests measure: taps, scrolling, layout shift, contrast.

Figures are measured in the real page, never assumed. A test at phone size is
marked with `@phone` (412×915, touch, as on a mid-sized Android phone).
"""

from __future__ import annotations

import re

import pytest

PHONE_VIEWPORT = {"width": 412, "height": 915}
DESKTOP_VIEWPORT = {"width": 1280, "height": 800}

phone = pytest.mark.browser_context_args(viewport=PHONE_VIEWPORT, has_touch=True, is_mobile=True)


class Journey:
    """Counts the taps a person makes and how far they had to scroll for them.

    `tap` scrolls only as far as a thumb would (until the target is wholly on
    screen and nothing fixed, like the tab bar or a sticky Save, covers it),
    adds the distance scrolled, then taps it.
    """

    def __init__(self, page):
        self.page = page
        self.taps = 0
        self.scrolled = 0

    def scroll_y(self) -> float:
        return self.page.evaluate("window.scrollY")

    def tap(self, locator) -> None:
        locator.wait_for(state="visible")
        self.scrolled += locator.evaluate(SCROLL_AS_A_THUMB_WOULD)
        locator.click()
        self.taps += 1

    def on_first_screen(self, locator) -> bool:
        """Whether the element sits wholly inside the first screen, unscrolled."""
        box = locator.bounding_box()
        height = self.page.viewport_size["height"]
        top = box["y"] + self.scroll_y()
        if not (top >= 0 and top + box["height"] <= height):
            return False
        # On screen is not enough if something fixed (the tab bar) covers it.
        return locator.evaluate(f"el => ({TAPPABLE_NOW})(el)")


# Whether a tap at the element's centre reaches it (on screen, not covered).
TAPPABLE_NOW = """el => {
  const box = el.getBoundingClientRect();
  if (box.top < 0 || box.bottom > window.innerHeight) return false;
  const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  if (hit === null) return false;
  const labels = [...(el.labels || [])];
  return el === hit || el.contains(hit) || labels.some(label => label.contains(hit));
}"""

# Scrolls the least distance that makes the element tappable, and returns it.
SCROLL_AS_A_THUMB_WOULD = f"""el => {{
  const start = window.scrollY;
  const tappable = () => ({TAPPABLE_NOW})(el);
  let box = el.getBoundingClientRect();
  if (box.bottom > window.innerHeight) window.scrollBy(0, box.bottom - window.innerHeight);
  box = el.getBoundingClientRect();
  if (box.top < 0) window.scrollBy(0, box.top);
  // Still under something fixed: keep going the way the page was moving.
  const down = el.getBoundingClientRect().top > window.innerHeight / 2;
  for (let step = 0; step < 150 && !tappable(); step++) window.scrollBy(0, down ? 8 : -8);
  return Math.abs(window.scrollY - start);
}}"""


# Sums the layout-shift entries not caused by input, as Chromium's CLS does
# (without session windows, so it can only over-count).
LAYOUT_SHIFT_OBSERVER = """
window.__layoutShift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__layoutShift += entry.value;
  }
}).observe({type: "layout-shift", buffered: true});
"""


def watch_layout_shift(page) -> None:
    page.add_init_script(LAYOUT_SHIFT_OBSERVER)


def layout_shift(page) -> float:
    return page.evaluate("window.__layoutShift")


def document_height(page) -> float:
    return page.evaluate("document.documentElement.scrollHeight")


def widest_overflow(page) -> list[str]:
    """Elements wider than the screen (nothing should be, at phone size)."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          return [...document.querySelectorAll('body *')]
            .filter(el => {
              const box = el.getBoundingClientRect();
              if (box.width === 0) return false;
              // Inside a scroll container that a keyboard can reach, overflow is fine.
              for (let up = el.parentElement; up; up = up.parentElement) {
                const style = getComputedStyle(up);
                if (/(auto|scroll)/.test(style.overflowX)) return false;
              }
              return box.right > width + 1 || box.left < -1;
            })
            .filter(el => !el.closest('.visually-hidden, .practice-sr-only, .skip-link'))
            .map(el => {
              const classes = typeof el.className === 'string' && el.className
                ? '.' + el.className.split(' ').join('.') : '';
              return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + classes;
            });
        }"""
    )


_RGB = re.compile(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)")


def parse_colour(css: str) -> tuple[float, float, float, float]:
    """An `rgb()`/`rgba()` string as computed styles give it."""
    match = _RGB.fullmatch(css.strip())
    assert match, f"not a computed rgb colour: {css!r}"
    red, green, blue, alpha = match.groups()
    return float(red), float(green), float(blue), float(alpha) if alpha is not None else 1.0


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast between two computed colours; a translucent foreground is
    first composited over the background."""
    fr, fg, fb, alpha = parse_colour(foreground)
    br, bg, bb, _ = parse_colour(background)
    composited = (
        fr * alpha + br * (1 - alpha),
        fg * alpha + bg * (1 - alpha),
        fb * alpha + bb * (1 - alpha),
    )
    lighter, darker = sorted((_luminance(composited), _luminance((br, bg, bb))), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
