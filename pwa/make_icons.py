"""Draw the app's PNG icons from static/img/favicon.svg with headless Chromium.

Run after changing the favicon and commit the PNGs it writes:

    .venv/bin/python -m pwa.make_icons

Browsers ask an installable app for 192 and 512 pixel icons, a maskable one
(its own shape may be cut to a circle, so the waves sit inside the central
safe zone, a circle 80% of the width) and Apple's 180 pixel touch icon, which
iOS rounds itself, so it is drawn square.
"""

import re
from pathlib import Path

from playwright.sync_api import sync_playwright

STATIC_IMG = Path(__file__).resolve().parent.parent / "static" / "img"
CHROMIUM = Path("/usr/bin/chromium")


def _drawing(svg: str, *, square: bool, inset: float) -> str:
    """The favicon, square-cornered if asked, with its waves shrunk to `inset` of the width."""
    background = re.search(r'<rect[^>]*fill="([^"]+)"', svg)
    colour = background.group(1) if background else "#2f6f6a"
    waves = re.search(r"<path[^>]*/>", svg)
    assert waves, "favicon.svg should hold the waves as one <path/>"
    scale = inset
    offset = 16 * (1 - scale)
    corner = "0" if square else "8"
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="100%" height="100%">'
        f'<rect width="32" height="32" rx="{corner}" fill="{colour}"/>'
        f'<g transform="translate({offset} {offset}) scale({scale})">{waves.group(0)}</g></svg>'
    )


ICONS = {
    # name: (size, square corners, share of the width the waves take)
    "icon-192.png": (192, False, 1.0),
    "icon-512.png": (512, False, 1.0),
    "icon-maskable-512.png": (512, True, 0.6),
    "apple-touch-icon.png": (180, True, 0.8),
}


def main() -> None:
    svg = (STATIC_IMG / "favicon.svg").read_text()
    executable = str(CHROMIUM) if CHROMIUM.exists() else None  # else Playwright's own
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(args=["--no-sandbox"], executable_path=executable)
        for name, (size, square, inset) in ICONS.items():
            page = browser.new_page(viewport={"width": size, "height": size})
            page.set_content(
                "<style>html,body{margin:0;background:transparent}</style>"
                + _drawing(svg, square=square, inset=inset)
            )
            page.screenshot(path=str(STATIC_IMG / name), omit_background=True)
            page.close()
            print(f"wrote static/img/{name} ({size}x{size})")
        browser.close()


if __name__ == "__main__":
    main()
