"""No page that shows a person's data may be kept by the browser or by htmx.

Browsers may keep a page without `Cache-Control: no-store` on disk (and show
it again from the back button after log-out); htmx keeps a copy of every page
it leaves in sessionStorage unless the page carries `hx-history="false"`.
"""

import pytest

from tests.site.addresses import addresses_of

pytestmark = pytest.mark.django_db

# The same for everyone, whoever asks (tests/pwa/): the browser may keep them.
SAME_FOR_EVERYONE = {"pwa:manifest", "pwa:service_worker"}


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_every_address_a_logged_in_person_can_get_says_no_store_and_opts_out_of_htmx_history(
    owner_client, owner, htmx
):
    headers = {"HX-Request": "true"} if htmx else {}
    stored, kept_by_htmx, walked = [], [], []
    for name, url in addresses_of(owner).items():
        response = owner_client.get(url, headers=headers)
        if response.status_code == 405:
            continue
        walked.append(name)
        if "no-store" not in response.get("Cache-Control", "") and name not in SAME_FOR_EVERYONE:
            stored.append(f"{name} {url} {response.status_code} {response.get('Cache-Control')}")
        html = response.content.decode(errors="replace")
        if "<html" in html and 'hx-history="false"' not in html:
            kept_by_htmx.append(f"{name} {url}")

    assert {"home", "practices:index", "reminders:index", "accounts:settings"} <= set(walked)
    assert {"portability:import_preview", "portability:data", "journal:index"} <= set(walked)
    assert not stored, "pages a browser may store:\n" + "\n".join(stored)
    assert not kept_by_htmx, "pages htmx would keep in history:\n" + "\n".join(kept_by_htmx)


def test_an_answer_that_uses_no_session_is_left_to_the_view(client):
    response = client.get("/healthz")
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_page_for_a_visitor_who_never_logged_in_has_no_history_opt_out(client):
    html = client.get("/").content.decode()
    assert 'hx-history="false"' not in html
