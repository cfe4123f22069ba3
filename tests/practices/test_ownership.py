"""Every URL that reaches a session answers a stranger with 404 and changes nothing."""

import pytest
from django.utils import timezone

from practices.models import PracticeSession
from tests.practices.conftest import htmx, started

pytestmark = pytest.mark.django_db

MOVES = [
    ("get", "", {}),
    ("post", "before/", {"rating": "1", "emotion": "taken"}),
    ("post", "before/", {"skip": "1"}),
    ("post", "next/", {"step": "0", "answer_1": "not yours"}),
    ("post", "pause/", {}),
    ("post", "resume/", {}),
    ("post", "finish/", {"step": "0"}),
    ("post", "after/", {"rating": "0", "notes": "not yours"}),
    ("post", "keep-alive/", {}),
    ("get", "note/", {}),
    ("post", "note/", {"notes": "not yours"}),
    ("get", "delete/", {}),
    ("post", "delete/", {}),
]


def snapshot(session) -> dict:
    return PracticeSession.objects.filter(pk=session.pk).values().get()


@pytest.fixture(params=["before", "guide", "after", "done"])
def owners_session(request, owner):
    """The owner's session, at each stage it can be in."""
    session = started(owner, "grounding")
    if request.param == "before":
        PracticeSession.objects.filter(pk=session.pk).update(stage="before")
    if request.param in ("after", "done"):
        session.finish(timezone.now())
    if request.param == "done":
        session.check_in_after(timezone.now(), notes="Mine.")
    return PracticeSession.objects.get(pk=session.pk)


@pytest.mark.parametrize(("method", "action", "data"), MOVES)
@pytest.mark.parametrize("headers", [{}, htmx()])
def test_it_checks_ownership(stranger_client, owners_session, method, action, data, headers):
    before = snapshot(owners_session)
    url = f"/practices/sessions/{owners_session.public_id}/{action}"
    response = getattr(stranger_client, method)(url, data, headers=headers)
    assert response.status_code == 404
    assert snapshot(owners_session) == before


@pytest.mark.parametrize(("method", "action", "data"), MOVES)
def test_it_needs_a_login(client, owners_session, method, action, data):
    before = snapshot(owners_session)
    url = f"/practices/sessions/{owners_session.public_id}/{action}"
    response = getattr(client, method)(url, data)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert snapshot(owners_session) == before


def test_an_unknown_session_is_a_404(owner_client):
    response = owner_client.get("/practices/sessions/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404


def test_a_strangers_history_never_shows_my_sessions(stranger_client, owner):
    session = started(owner, "grounding")
    session.finish(timezone.now())
    session.check_in_after(timezone.now(), notes="Private words.")
    html = stranger_client.get("/practices/history/").content.decode()
    assert "0 sessions." in html
    assert "Private words." not in html
    assert str(session.public_id) not in html
