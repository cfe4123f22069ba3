"""A shared report opened with no session: what it shows, what it records, when it stops."""

from datetime import timedelta
from html import unescape

import pytest
from django.test import Client

from sharing.models import ShareLink, ShareOpening
from tests.conftest import make_user
from tests.sharing.conftest import FIREFOX_ON_ANDROID, share

pytestmark = pytest.mark.django_db


def visitor() -> Client:
    """The therapist: no session, no cookies, a phone's browser."""
    return Client(headers={"User-Agent": FIREFOX_ON_ANDROID})


def opened(token: str, path: str = "") -> tuple[int, str]:
    response = visitor().get(f"/shared/{token}/{path}")
    return response.status_code, unescape(response.content.decode(errors="replace"))


def assert_private_headers(response):
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow, noarchive"
    assert response["Referrer-Policy"] == "no-referrer"


def test_a_link_opens_the_chosen_sections_without_a_session(frozen_now, owner, october):
    link, token = share(owner, shows_faces=False, shows_repair=False)

    response = visitor().get(f"/shared/{token}/")

    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    html = unescape(response.content.decode())
    assert "Olive's report: 1 October 2026 to 31 October 2026" in html
    assert "1 session on 1 day with a finished practice, 20 minutes in all." in html
    assert "River check-ins (0 to 10)" in html and "Feelings named" in html
    assert "FACES (1 to 5)" not in html and "Repair after rupture" not in html
    assert "my sister" not in html
    # No journal words unless the person ticked the box.
    assert "Dear diary" not in html and "Felt my feet" not in html and "Sharp words" not in html
    assert "owner@example.com" not in html


def test_journal_text_is_shared_only_when_ticked(frozen_now, owner, october):
    _, token = share(owner, shows_journal=True)

    status, html = opened(token)

    assert status == 200
    assert "Dear diary, a hard talk." in html and "Sharp words." in html
    assert "Felt my feet." in html


def test_the_email_never_shows_even_without_a_chosen_name(frozen_now, october):
    nameless = make_user("zebra.quill@example.com", timezone="Europe/Berlin")
    _, token = share(nameless, shows_journal=True)

    status, html = opened(token)

    assert status == 200
    assert "zebra" not in html.lower() and "quill" not in html.lower()
    assert "A shared report: 1 October 2026 to 31 October 2026" in html


def test_the_shared_page_is_not_indexed_cached_or_passed_on(frozen_now, owner):
    _, token = share(owner)

    response = visitor().get(f"/shared/{token}/")

    assert_private_headers(response)
    html = response.content.decode()
    assert '<meta name="robots" content="noindex, nofollow, noarchive">' in html
    assert '<meta name="referrer" content="no-referrer">' in html
    assert 'hx-history="false"' in html


def test_each_opening_is_recorded_with_the_browser_only(frozen_now, owner):
    link, token = share(owner)

    opened(token)
    frozen_now.shift(timedelta(minutes=5))
    opened(token, "report.pdf")

    openings = list(ShareOpening.objects.filter(link=link).order_by("opened_at"))
    assert [(o.browser, o.as_pdf) for o in openings] == [
        ("Firefox on Android", False),
        ("Firefox on Android", True),
    ]
    assert openings[1].opened_at - openings[0].opened_at == timedelta(minutes=5)
    assert not any(
        field.name in {"ip", "address", "user_agent"} for field in ShareOpening._meta.fields
    )


def test_a_head_request_records_no_opening(frozen_now, owner):
    link, token = share(owner)

    assert visitor().head(f"/shared/{token}/").status_code == 200

    assert not link.openings.exists()


def test_a_revoked_link_gets_the_kind_404(frozen_now, owner, owner_client):
    link, token = share(owner)
    assert opened(token)[0] == 200

    owner_client.post(f"/progress/share/{link.public_id}/stop/")
    response = visitor().get(f"/shared/{token}/")

    assert response.status_code == 404
    assert "This link no longer opens a report" in response.content.decode()
    assert_private_headers(response)
    assert visitor().get(f"/shared/{token}/report.pdf").status_code == 404
    assert link.openings.count() == 1  # the opening before it was stopped


def test_an_expired_link_gets_the_kind_404(frozen_now, owner):
    _, token = share(owner, lifetime_days=1)
    frozen_now.shift(timedelta(hours=23, minutes=59))
    assert opened(token)[0] == 200

    frozen_now.shift(timedelta(minutes=1))
    status, html = opened(token)

    assert status == 404
    assert "This link no longer opens a report" in html


def test_an_unknown_or_garbled_token_gets_the_same_404(frozen_now, owner):
    _, token = share(owner)

    for wrong in (token[:-1] + ("A" if token[-1] != "A" else "B"), "x" * 500, "short"):
        status, html = opened(wrong)
        assert status == 404 and "This link no longer opens a report" in html


def test_openings_from_one_address_are_paced(frozen_now, owner, settings):
    settings.SHARED_REPORT_RATE = "3/h"
    _, token = share(owner)
    assert opened("not-a-token")[0] == 404  # wrong guesses count too
    assert opened(token)[0] == 200
    assert opened(token)[0] == 200

    response = visitor().get(f"/shared/{token}/")

    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 60
    assert "Please wait a little" in response.content.decode()
    assert_private_headers(response)


def test_the_shared_pdf_holds_the_chosen_sections_and_dates(frozen_now, owner, october):
    import io

    from pypdf import PdfReader

    _, token = share(owner, shows_feelings=False)

    response = visitor().get(f"/shared/{token}/report.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert_private_headers(response)
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Olive's report: 1 October 2026 to 31 October 2026" in text
    assert "Practice" in text and "FACES (1 to 5)" in text and "Repair after rupture" in text
    assert "Feelings named" not in text and "Dear diary" not in text


def test_the_link_itself_is_stored_only_as_a_hash(frozen_now, owner):
    link, token = share(owner)

    assert len(token) >= 43  # 256 random bits, URL-safe base64
    stored = ShareLink.objects.filter(pk=link.pk).values().get()
    assert not any(token in str(value) for value in stored.values())


def test_the_shared_page_reads_in_a_fixed_number_of_queries(
    frozen_now, owner, django_assert_max_num_queries
):
    from datetime import date

    from tests.progress.factories import make_history

    make_history(owner, date(2025, 11, 25), date(2026, 11, 24))
    _, token = share(owner, start=date(2025, 11, 25), end=date(2026, 11, 24), shows_journal=True)

    # The link and its owner, the opening, then each part of the report once.
    with django_assert_max_num_queries(16):
        status, html = opened(token)
    assert status == 200 and "Practice" in html
