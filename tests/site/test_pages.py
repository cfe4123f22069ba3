import re

import pytest

pytestmark = pytest.mark.django_db


def test_home_explains_integration_to_a_visitor(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "chaos on one side and rigidity on the other" in html
    assert 'href="/accounts/signup/"' in html
    assert 'href="#main"' in html and 'id="main"' in html  # skip link target
    assert 'href="/crisis/"' in html
    # The brand is the way home, marked as the page a visitor is on.
    assert re.search(r'class="brand" href="/"\s+aria-current="page"', html)


def test_home_greets_a_person_in_their_own_time_zone(client, owner, time_machine):
    # 23:30 UTC on Sunday is already Monday morning in Tokyo.
    time_machine.move_to("2026-03-01 23:30:00+00:00", tick=False)
    owner.timezone = "Asia/Tokyo"
    owner.save()
    client.force_login(owner)
    html = client.get("/").content.decode()
    assert "Hello, Olive" in html
    assert "Monday 2 March" in html
    owner.timezone = "America/Los_Angeles"
    owner.save()
    assert "Sunday 1 March" in client.get("/").content.decode()


def test_crisis_page_is_public_and_linked_from_every_page(client, owner):
    response = client.get("/crisis/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "988" in html and "116 123" in html and "112" in html
    client.force_login(owner)
    for url in ["/", "/accounts/settings/", "/accounts/delete/", "/accounts/password/"]:
        assert 'href="/crisis/"' in client.get(url).content.decode(), url


def test_navigation_marks_the_current_section(owner_client):
    # Settings, reminders and your data live under the "Me" tab.
    for url in ["/accounts/settings/", "/reminders/", "/progress/data/", "/accounts/me/"]:
        html = owner_client.get(url).content.decode()
        assert re.search(r'href="/accounts/me/"\s+aria-current="page"', html), url
    html = owner_client.get("/journal/").content.decode()
    assert re.search(r'href="/journal/"\s+aria-current="page"', html)
    assert not re.search(r'href="/accounts/me/"\s+aria-current="page"', html)


def test_unknown_pages_get_a_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We couldn't find that page" in response.content.decode()


def test_a_missing_csrf_token_gets_a_friendly_403(owner):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(owner)
    response = strict.post("/accounts/settings/", {"display_name": "x", "timezone": "UTC"})
    assert response.status_code == 403
    assert "Please try that again" in response.content.decode()
    owner.refresh_from_db()
    assert owner.display_name == "Olive"


def _django_error():
    from django.db import OperationalError

    return OperationalError("connection refused")


def _driver_error():
    # What the database driver itself raises where Django doesn't wrap it (seen in
    # the fault scenarios: closing a server-side cursor on a connection just cut).
    from django.db import connection

    return connection.Database.OperationalError("server closed the connection unexpectedly")


@pytest.mark.parametrize(
    "error",
    [_django_error, _driver_error],
    ids=["django", "driver"],
)
def test_a_database_outage_gets_a_friendly_503(client, owner, monkeypatch, error):
    from django.contrib.auth import middleware

    def database_down(request):
        raise error()

    client.force_login(owner)
    client.raise_request_exception = False
    monkeypatch.setattr(middleware, "get_user", database_down)
    response = client.get("/accounts/settings/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "back in a moment" in response.content.decode()


def test_other_errors_get_a_plain_500(client, monkeypatch):
    from ipnb_site import views

    def broken(request):
        raise RuntimeError("bug")

    client.raise_request_exception = False
    monkeypatch.setattr(views, "render", lambda *a, **k: broken(None))
    response = client.get("/crisis/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_the_health_check_answers_without_a_login(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
