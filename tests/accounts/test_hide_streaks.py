import re
from datetime import timedelta
from html import unescape

import pytest

from tests.progress.factories import ensure_catalog_and_vocabulary, make_session

pytestmark = pytest.mark.django_db

URL = "/accounts/settings/"


@pytest.fixture(autouse=True)
def catalog(db):
    ensure_catalog_and_vocabulary()


def test_streaks_show_until_a_person_hides_them(owner):
    assert owner.hide_streaks is False


def test_the_settings_page_offers_the_choice(owner_client):
    html = unescape(owner_client.get(URL).content.decode())
    # The checkbox and its words on one line, the whole line a hit area.
    assert re.search(
        r'<label class="check-line" for="id_hide_streaks"><input type="checkbox" '
        r'name="hide_streaks"[^>]*><span>Hide streaks</span></label>',
        html,
    )
    assert "Show your practice strength, which forgives missed days" in html
    assert 'type="checkbox" name="hide_streaks"' in html


def test_hiding_streaks_is_saved_and_removes_them_from_the_dashboard(owner_client, owner):
    for days_ago in range(3):
        make_session(owner, owner.local_today() - timedelta(days=days_ago))
    assert "3 days in a row" in unescape(owner_client.get("/").content.decode())

    response = owner_client.post(
        URL, {"display_name": "Olive", "timezone": "Europe/Berlin", "hide_streaks": "on"}
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.hide_streaks is True
    html = unescape(owner_client.get("/").content.decode())
    assert "in a row" not in html and "Practice strength" in html
    settings_page = owner_client.get(URL).content.decode()
    assert re.search(r'<input type="checkbox" name="hide_streaks"[^>]* checked>', settings_page)


def test_unticking_shows_streaks_again(owner_client, owner):
    owner.hide_streaks = True
    owner.save(update_fields=["hide_streaks"])
    owner_client.post(
        URL,
        {"display_name": "Olive", "timezone": "Europe/Berlin"},
        headers={"HX-Request": "true"},
    )
    owner.refresh_from_db()
    assert owner.hide_streaks is False


def test_a_stranger_can_only_change_their_own_choice(stranger_client, owner, stranger):
    stranger_client.post(
        URL,
        {
            "display_name": "Sam",
            "timezone": "America/New_York",
            "hide_streaks": "on",
            "email": owner.email,
        },
    )
    owner.refresh_from_db()
    stranger.refresh_from_db()
    assert (owner.hide_streaks, stranger.hide_streaks) == (False, True)
