"""Small hand-written factories for progress and portability tests
(journal rows come from the journal's own)."""

import uuid
from datetime import date, datetime, time, timedelta

from practices.models import Practice, PracticeSession
from progress.sample import build_history, save_history
from tests.conftest import ensure_reference_data


def ensure_catalog_and_vocabulary() -> None:
    ensure_reference_data()


def practice(slug: str = "breathwork") -> Practice:
    return Practice.objects.get(slug=slug)


def make_session(
    user,
    local_date: date,
    *,
    minutes: int = 10,
    completed: bool = True,
    before: int | None = None,
    after: int | None = None,
    slug: str = "breathwork",
    at: time = time(8, 0),
    notes: str = "",
) -> PracticeSession:
    started = datetime.combine(local_date, at, tzinfo=user.zone)
    return PracticeSession.objects.create(
        user=user,
        practice=practice(slug),
        request_id=uuid.uuid4(),
        stage=PracticeSession.Stage.DONE,
        started_at=started,
        ended_at=started + timedelta(minutes=minutes),
        last_seen_at=started + timedelta(minutes=minutes),
        local_date=local_date,
        seconds_practised=minutes * 60,
        completed=completed,
        before_rating=before,
        after_rating=after,
        notes=notes,
        parameters={"minutes": minutes},
    )


def make_history(user, first_day: date, last_day: date, seed: int = 5):
    history = build_history(user, first_day, last_day, seed=seed)
    save_history(history)
    return history
