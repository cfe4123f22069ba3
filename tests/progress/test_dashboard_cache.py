"""The dashboard is cached per person and rebuilt after any write to their data."""

from datetime import timedelta

import pytest

from accounts.models import User
from practices.models import PracticeSession
from tests.progress.factories import make_history, make_session

pytestmark = pytest.mark.django_db


def test_a_second_visit_is_served_from_the_cache(
    owner_client, owner, django_assert_max_num_queries
):
    today = owner.local_today()
    make_history(owner, today - timedelta(days=400), today)
    owner_client.get("/")
    with django_assert_max_num_queries(3):  # session and user only
        response = owner_client.get("/")
    assert "Your patterns" in response.content.decode()


def test_a_new_practice_session_shows_at_once(owner_client, owner):
    before = owner_client.get("/").content.decode()
    make_session(owner, owner.local_today(), minutes=17)
    after = owner_client.get("/").content.decode()
    assert before != after
    assert "17 min" in after


def test_every_dashboard_source_bumps_the_owners_data_version(owner, stranger):
    from journal.models import FacesRating

    version = User.objects.get(pk=owner.pk).data_version
    session = make_session(owner, owner.local_today())
    FacesRating.objects.create(
        user=owner,
        local_date=owner.local_today(),
        flexible=3,
        adaptive=3,
        coherent=3,
        energized=3,
        stable=3,
    )
    session.delete()
    assert User.objects.get(pk=owner.pk).data_version == version + 3
    assert User.objects.get(pk=stranger.pk).data_version == 0


def test_closing_abandoned_sessions_in_bulk_also_bumps_it(owner):
    session = make_session(owner, owner.local_today(), completed=False)
    PracticeSession.objects.filter(pk=session.pk).update(
        stage=PracticeSession.Stage.GUIDE,
        ended_at=None,
        last_seen_at=session.started_at - timedelta(days=2),
    )
    version = User.objects.get(pk=owner.pk).data_version
    assert PracticeSession.objects.close_abandoned() == 1
    assert User.objects.get(pk=owner.pk).data_version == version + 1


def test_changing_a_setting_changes_what_is_shown(owner_client, owner):
    today = owner.local_today()
    for back in range(3):
        make_session(owner, today - timedelta(days=back))
    assert "days in a row" in owner_client.get("/").content.decode()
    owner.hide_streaks = True
    owner.save()
    assert "days in a row" not in owner_client.get("/").content.decode()


def test_deleting_an_account_does_not_bump_once_per_row(owner, django_assert_max_num_queries):
    today = owner.local_today()
    make_history(owner, today - timedelta(days=60), today)
    rows = PracticeSession.objects.for_user(owner).count()
    assert rows > 30
    with django_assert_max_num_queries(rows):
        owner.delete()
    assert not User.objects.filter(pk=owner.pk).exists()
