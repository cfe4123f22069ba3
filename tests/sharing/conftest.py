from datetime import UTC, date, datetime

import pytest

from sharing.models import ShareLink
from tests.journal.factories import make_check_in, make_entry, make_faces, make_rupture
from tests.progress.factories import ensure_catalog_and_vocabulary, make_session

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
FIREFOX_ON_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0"


@pytest.fixture(autouse=True)
def catalog_and_vocabulary(db):
    ensure_catalog_and_vocabulary()


@pytest.fixture
def frozen_now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def october(owner):
    make_session(owner, date(2026, 10, 5), minutes=20, before=3, after=6, notes="Felt my feet.")
    make_faces(owner, local_date=date(2026, 10, 5), score=4)
    make_check_in(owner, chaos=7, rigidity=1, local_date=date(2026, 10, 6))
    make_entry(
        owner, "Dear diary, a hard talk.", local_date=date(2026, 10, 7), feelings=[("anxious", 4)]
    )
    make_rupture(
        owner, relationship="my sister", ruptured_on=date(2026, 10, 8), what_happened="Sharp words."
    )


def share(user, **fields) -> tuple[ShareLink, str]:
    """A link of the user's, as the page makes it; returns the link and its token."""
    values = {"start": date(2026, 10, 1), "end": date(2026, 10, 31), "lifetime_days": 7}
    return ShareLink.objects.create_with_token(ShareLink(user=user, **{**values, **fields}))
