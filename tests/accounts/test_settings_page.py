import pytest

from accounts.days import DAY_ENDS
from accounts.models import User

pytestmark = pytest.mark.django_db

URL = "/accounts/settings/"


def test_it_works(owner_client, owner):
    response = owner_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Olive"' in html
    assert 'name="timezone" value="Europe/Berlin"' in html
    # The zones are fetched by the picker's script, not carried in the page:
    # the only choices in it are when the day ends.
    assert html.count("<option") == len(DAY_ENDS)
    assert '<option value="00:00:00" selected>Midnight</option>' in html


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
    html = response.content.decode()
    assert "know the time zone “Nowhere/Special”. Try a region and city" in html
    assert 'aria-invalid="true"' in html
    owner.refresh_from_db()
    assert (owner.display_name, owner.timezone) == ("Olive", "Europe/Berlin")


def test_a_near_miss_is_answered_with_the_zones_it_resembles(owner_client, owner):
    response = owner_client.post(URL, {"display_name": "Olive", "timezone": "Europe/Berln"})
    assert response.status_code == 400
    assert "Did you mean Europe/Berlin, " in response.content.decode()
    owner.refresh_from_db()
    assert owner.timezone == "Europe/Berlin"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("asia/tokyo", "Asia/Tokyo"),
        ("  Tokyo ", "Asia/Tokyo"),
        ("new york", "America/New_York"),
        ("sao paulo", "America/Sao_Paulo"),
        ("utc", "UTC"),
    ],
)
def test_a_zone_typed_loosely_is_kept_by_its_proper_name(owner_client, owner, typed, kept):
    response = owner_client.post(URL, {"display_name": "Olive", "timezone": typed})
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.timezone == kept


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
