import re

import pytest

pytestmark = pytest.mark.django_db

URL = "/accounts/me/"


def test_it_gathers_everything_about_the_account(owner_client):
    response = owner_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Me</h1>" in html
    for address in [
        "/reminders/",
        "/accounts/settings/",
        "/practices/history/",
        "/progress/data/",
        "/progress/report/",
    ]:
        assert f'href="{address}"' in html, address
    assert re.search(r'<form method="post" action="/accounts/logout/">', html)
    assert re.search(r'href="/accounts/me/"\s+aria-current="page"', html)
    assert "no-store" in response["Cache-Control"]


def test_it_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_it_does_not_write(owner_client):
    assert owner_client.post(URL).status_code == 405


def test_the_time_zone_list_has_every_zone_the_picker_accepts(client):
    response = client.get("/accounts/timezones/")
    assert response.status_code == 200
    zones = response.json()["timezones"]
    assert "Europe/Berlin" in zones and "UTC" in zones
    assert "US/Eastern" not in zones  # legacy aliases are not offered
    assert zones == sorted(zones)
