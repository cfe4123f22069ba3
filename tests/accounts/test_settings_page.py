import pytest

from accounts.models import User

pytestmark = pytest.mark.django_db

URL = "/accounts/settings/"


def test_it_works(owner_client, owner):
    response = owner_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Olive"' in html
    assert '<option value="Europe/Berlin" selected>' in html


def test_it_saves_name_and_time_zone(owner_client, owner):
    response = owner_client.post(URL, {"display_name": "Liv", "timezone": "Asia/Tokyo"})
    assert response.status_code == 302
    owner.refresh_from_db()
    assert (owner.display_name, owner.timezone) == ("Liv", "Asia/Tokyo")
    assert "Your settings are saved." in owner_client.get(URL).content.decode()


def test_htmx_save_returns_only_the_form_fragment(owner_client, owner):
    response = owner_client.post(
        URL, {"display_name": "Liv", "timezone": "Asia/Tokyo"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<form")
    assert "<header" not in html
    assert "Saved. Your days now follow Asia/Tokyo." in html
    assert "HX-Request" in response["Vary"]
    owner.refresh_from_db()
    assert owner.timezone == "Asia/Tokyo"


def test_a_bad_time_zone_gets_a_field_error_and_changes_nothing(owner_client, owner):
    response = owner_client.post(
        URL,
        {"display_name": "Changed", "timezone": "Nowhere/Special"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    owner.refresh_from_db()
    assert (owner.display_name, owner.timezone) == ("Olive", "Europe/Berlin")


def test_it_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_it_checks_ownership(stranger_client, owner, stranger):
    # The page always acts on the signed-in person: a stranger's post can
    # only ever change the stranger's own settings, never the owner's.
    response = stranger_client.post(
        URL, {"display_name": "Hijacked", "timezone": "Asia/Tokyo", "email": owner.email}
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert (owner.display_name, owner.timezone) == ("Olive", "Europe/Berlin")
    stranger.refresh_from_db()
    assert stranger.display_name == "Hijacked"
    assert "Olive" not in stranger_client.get(URL).content.decode()
    assert User.objects.get(email=owner.email).display_name == "Olive"


def test_an_expired_session_on_an_htmx_request_redirects_the_whole_page(client):
    response = client.post(URL, {"display_name": "x"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/accounts/login/?next=/accounts/settings/")
    assert b"<form" not in response.content
