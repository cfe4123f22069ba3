import pytest
from django.utils import timezone

from tests.practices.conftest import htmx, reread, started

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(owner):
    session = started(owner, "breathwork")
    session.finish(timezone.now())
    session.check_in_after(timezone.now(), notes="First thoughts.")
    return reread(session)


def url(session) -> str:
    return f"/practices/sessions/{session.public_id}/note/"


def test_the_note_form_opens_with_the_note_in_it(owner_client, session):
    response = owner_client.get(url(session))
    assert response.status_code == 200
    html = response.content.decode()
    assert "First thoughts.</textarea>" in html
    assert f'id="note-{session.public_id}-notes"' in html


def test_with_htmx_the_form_swaps_in_place_of_the_note(owner_client, session):
    response = owner_client.get(url(session), headers=htmx())
    html = response.content.decode()
    assert html.lstrip().startswith(f'<form id="note-{session.public_id}"')
    assert "<header" not in html
    assert "HX-Request" in response["Vary"]
    cancel = owner_client.get(url(session) + "?cancel=1", headers=htmx()).content.decode()
    assert cancel.lstrip().startswith(f'<div id="note-{session.public_id}"')
    assert "First thoughts." in cancel


def test_saving_the_note_with_htmx_shows_it_again(owner_client, session):
    response = owner_client.post(url(session), {"notes": "Second thoughts."}, headers=htmx())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Second thoughts." in html
    assert "Note saved." in html
    assert reread(session).notes == "Second thoughts."


def test_saving_the_note_without_htmx_returns_to_the_session(owner_client, session):
    response = owner_client.post(url(session), {"notes": ""})
    assert response.status_code == 302
    assert response["Location"] == f"/practices/sessions/{session.public_id}/"
    assert reread(session).notes == ""
    assert "Your note is saved." in owner_client.get(response["Location"]).content.decode()


def test_a_note_that_is_too_long_gets_an_error_and_is_not_saved(owner_client, session):
    response = owner_client.post(url(session), {"notes": "x" * 5001}, headers=htmx())
    assert response.status_code == 400
    assert "Ensure this value has at most 5000 characters" in response.content.decode()
    assert reread(session).notes == "First thoughts."
