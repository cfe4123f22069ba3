import uuid
from datetime import datetime

import pytest

from practices.models import Practice, PracticeSession


def practice(slug: str) -> Practice:
    """One of the practices the data migration seeds."""
    return Practice.objects.get(slug=slug)


def start(user, slug: str, *, at: datetime | None = None, **parameters) -> PracticeSession:
    """A session as the start form makes it, at a chosen moment."""
    chosen = practice(slug)
    if chosen.is_timed:
        parameters.setdefault("minutes", chosen.default_minutes)
    session, _ = PracticeSession.objects.start(
        user, chosen, request_id=uuid.uuid4(), parameters=parameters, now=at
    )
    return session


def started(user, slug: str, *, at: datetime | None = None, **parameters) -> PracticeSession:
    """A session past its before check-in, with the practice clock running."""
    session = start(user, slug, at=at, **parameters)
    session.begin(session.started_at)
    return session


def reread(session: PracticeSession) -> PracticeSession:
    return PracticeSession.objects.get(pk=session.pk)


def htmx(**headers) -> dict:
    return {"HX-Request": "true", **headers}


@pytest.fixture
def frozen(time_machine):
    """Time stands still at a known moment (16:00 in Berlin, where the owner lives)."""
    time_machine.move_to("2026-03-10 15:00:00+00:00", tick=False)
    return time_machine
