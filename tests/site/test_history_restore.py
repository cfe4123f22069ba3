"""htmx's history restore gets the whole page from every view, never a bare fragment.

On Back to an address htmx pushed but kept no copy of, htmx 2 asks for it
again with HX-History-Restore-Request (and, with its default config, HX-Request
too) and swaps the answer in as the whole page (ipnb_site/htmx.py).
"""

import pytest

from tests.site.addresses import addresses_of

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
RESTORE = {**HTMX, "HX-History-Restore-Request": "true"}

# Every view that answers an htmx GET with a fragment, with a query that makes
# it do so (what a range swap, a filter or a search pushes into history).
FRAGMENT_VIEWS = {
    "progress:patterns": "?range=1y",
    "practices:history": "?practice=breathwork",
    "practices:session": "",
    "practices:edit_note": "",
    "reminders:edit": "",
    "accounts:settings": "",
    "journal:faces": "",
    "journal:check_in": "",
    "journal:search": "?q=words",
}


def is_whole_page(html: str) -> bool:
    return all(
        part in html
        for part in ("<html", 'class="site-header"', 'aria-label="Main"', 'class="crisis-link"')
    )


@pytest.fixture
def addresses(owner):
    return addresses_of(owner)


@pytest.mark.parametrize("name", FRAGMENT_VIEWS)
def test_a_history_restore_gets_the_whole_page_where_htmx_gets_a_fragment(
    owner_client, addresses, name
):
    url = addresses[name] + FRAGMENT_VIEWS[name]
    fragment = owner_client.get(url, headers=HTMX)
    assert fragment.status_code == 200
    assert not is_whole_page(fragment.content.decode())

    restored = owner_client.get(url, headers=RESTORE)
    assert restored.status_code == 200
    assert is_whole_page(restored.content.decode())
    assert "HX-History-Restore-Request" in restored["Vary"]


def test_no_address_answers_a_history_restore_with_a_fragment(owner_client, addresses):
    fragments = []
    for name, url in addresses.items():
        response = owner_client.get(url, headers=RESTORE)
        html = response["Content-Type"].startswith("text/html")
        if response.status_code == 200 and html and not is_whole_page(response.content.decode()):
            fragments.append(f"{name} {url}")
    assert not fragments, "fragments for a history restore:\n" + "\n".join(fragments)


@pytest.mark.parametrize(
    "url", ["/practices/history/?practice=grounding", "/progress/patterns/?range=1y"]
)
def test_a_restore_after_the_session_ended_is_a_whole_page_not_a_client_redirect(client, url):
    # htmx swaps in whatever the restore request ends at; an HX-Redirect would leave it blank.
    response = client.get(url, headers=RESTORE, follow=True)
    assert "HX-Redirect" not in response
    assert is_whole_page(response.content.decode())


def test_htmx_without_the_restore_header_still_gets_fragments(owner_client):
    html = owner_client.get("/progress/patterns/?range=1y", headers=HTMX).content.decode()
    assert html.lstrip().startswith('<section id="progress-panel"')
