import pytest

from practices.models import PracticeSession
from tests.practices.conftest import started

pytestmark = pytest.mark.django_db


def url(session) -> str:
    return f"/practices/sessions/{session.public_id}/delete/"


def test_deleting_asks_for_confirmation_first(owner_client, owner):
    session = started(owner, "grounding")
    response = owner_client.get(url(session))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Delete this session?" in html
    assert "can&#x27;t be undone" in html or "can't be undone" in html
    assert PracticeSession.objects.filter(pk=session.pk).exists()


def test_confirming_deletes_only_that_session(owner_client, owner):
    session = started(owner, "grounding")
    other = started(owner, "breathwork")
    response = owner_client.post(url(session))
    assert response.status_code == 302
    assert response["Location"] == "/practices/history/"
    assert list(PracticeSession.objects.all()) == [other]
    assert "That session is deleted." in owner_client.get("/practices/history/").content.decode()


def test_deleting_twice_is_a_404_the_second_time(owner_client, owner):
    session = started(owner, "grounding")
    owner_client.post(url(session))
    assert owner_client.post(url(session)).status_code == 404
