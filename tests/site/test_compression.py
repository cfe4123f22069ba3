"""Pages are gzipped for browsers that accept it, except where the size could leak a secret.

See ipnb_site/compression.py for which pages are left uncompressed and why.
"""

import gzip
import re

import pytest
from django.core.management import call_command
from django.urls import resolve

from tests.journal.factories import make_entry
from tests.site.addresses import addresses_of

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
# Views whose page echoes the query string beside private text (@reflects_input).
NEVER_COMPRESSED = {"journal:search", "portability:report"}
# The budget for Today on the wire, for a person with years of history.
DASHBOARD_MOST_BYTES = 40 * 1024


def vary(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",")}


def same_page(html: str) -> str:
    """The page without what changes on every response: nonce, CSRF token, a form's request id."""
    html = re.sub(r'nonce="[^"]+"', 'nonce=""', html)
    return re.sub(r'((?:token|request_id)" value=|X-CSRFToken": )"[^"]+"', r'\1""', html)


def test_today_is_sent_gzipped_and_decodes_to_the_page(owner_client, owner):
    owner.display_name = "Robin"
    owner.save()
    plain = owner_client.get("/").content.decode()
    response = owner_client.get("/", **GZIP)

    assert response["Content-Encoding"] == "gzip"
    assert "accept-encoding" in vary(response)
    assert int(response["Content-Length"]) == len(response.content)
    assert len(response.content) < len(plain) / 2
    html = gzip.decompress(response.content).decode()
    assert same_page(html) == same_page(plain)
    assert "Robin" in html


def test_a_browser_that_does_not_accept_gzip_gets_the_plain_page(owner_client):
    response = owner_client.get("/", HTTP_ACCEPT_ENCODING="identity")

    assert not response.has_header("Content-Encoding")
    assert "accept-encoding" in vary(response)
    assert response.content.decode().startswith("<!doctype html>")


def test_a_compressed_page_keeps_its_security_and_privacy_headers(owner_client):
    response = owner_client.get("/", **GZIP)

    assert response["Content-Encoding"] == "gzip"
    assert "no-store" in response["Cache-Control"]
    assert "script-src" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    # The CSP nonce in the header is the one in the compressed page.
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in gzip.decompress(response.content).decode()


def test_journal_search_is_never_compressed_even_when_the_browser_accepts_gzip(owner_client, owner):
    make_entry(owner, body="My secret walk by the river.")

    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = owner_client.get("/journal/search/", {"q": "river"}, **GZIP, **headers)
        assert response.status_code == 200
        assert not response.has_header("Content-Encoding")
        assert "secret walk" in response.content.decode()


def test_the_printable_report_is_never_compressed(owner_client, owner):
    make_entry(owner, body="My secret walk by the river.")

    response = owner_client.get(
        "/progress/report/",
        {"start": "2026-03-01", "end": "2026-03-31", "journal": "on"},
        **GZIP,
    )

    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert "secret walk" in response.content.decode()


def test_every_other_page_a_logged_in_person_can_open_is_compressed(owner_client, owner):
    plain, walked = [], []
    for name, url in addresses_of(owner).items():
        response = owner_client.get(url, **GZIP)
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or not content_type.startswith("text/html"):
            continue
        walked.append(name)
        compressed = response.get("Content-Encoding") == "gzip"
        if compressed == (resolve(url.split("?")[0]).view_name in NEVER_COMPRESSED):
            plain.append(f"{name} {url} compressed={compressed}")

    assert {"home", "journal:new", "journal:search", "accounts:settings"} <= set(walked)
    assert not plain, "pages compressed against the rule:\n" + "\n".join(plain)


def test_the_time_zone_list_is_compressed(owner_client):
    response = owner_client.get("/accounts/timezones/", **GZIP)

    assert response["Content-Encoding"] == "gzip"
    assert "Europe/Berlin" in gzip.decompress(response.content).decode()


def test_a_zip_download_is_not_compressed_again(owner_client):
    response = owner_client.post("/progress/data/riverwise-csv.zip", **GZIP)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert not response.has_header("Content-Encoding")


@pytest.mark.parametrize("years", [1, 5])
def test_today_for_years_of_history_is_at_most_40_kb_on_the_wire(owner_client, owner, years):
    call_command("seed_history", email=owner.email, years=years, verbosity=0)

    response = owner_client.get("/", **GZIP)

    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content).decode()
    assert "heatmap" in html  # the whole dashboard, not the first-run page
    assert len(response.content) <= DASHBOARD_MOST_BYTES, (
        f"{len(response.content)} bytes compressed ({len(html)} bytes of HTML)"
    )
