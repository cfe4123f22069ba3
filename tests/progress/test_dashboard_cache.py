"""The dashboard is cached per person and rebuilt after any write to their data."""

import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.freshness import DataVersionQuerySet
from accounts.models import User
from journal.models import FacesRating, JournalEntry, NamedEmotion
from practices.models import PracticeSession
from progress.apps import DASHBOARD_SOURCES
from tests.progress.factories import make_history, make_session

pytestmark = pytest.mark.django_db

FACES = dict.fromkeys(["flexible", "adaptive", "coherent", "energized", "stable"], 3)


def test_a_second_visit_is_served_from_the_cache(
    owner_client, owner, django_assert_max_num_queries
):
    today = owner.local_today()
    make_history(owner, today - timedelta(days=400), today)
    for address, shown in (("/", "Practice strength"), ("/progress/patterns/", "FACES")):
        owner_client.get(address)
        with django_assert_max_num_queries(3):  # session and user only
            response = owner_client.get(address)
        assert shown in response.content.decode()


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


# Freshness in one place: every write path to what the dashboard reads bumps the version.

# Tables the dashboard reads that hold no rows of the person's practice or journal.
NOT_SOURCES = {
    # The cache key itself: data_version, timezone and hide_streaks are in it.
    "accounts.User",
    # Logging in, not data: the session says who is asking.
    "sessions.Session",
    # The signed-in device's check (activity/middleware.py), on every page.
    "activity.DeviceSession",
    # Shared reference rows, the same for everyone, changed only by staff and migrations.
    "practices.Practice",
    "journal.EmotionWord",
}


def tables_read(sql: str) -> set[str]:
    return set(re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', sql))


def test_every_model_the_dashboard_reads_is_a_registered_source(client, owner):
    from progress.dashboard import RANGES
    from tests.portability.factories import make_rich_history

    today = owner.local_today()
    make_rich_history(owner, today)
    # The rich history holds yesterday's and today's rows (one FACES rating a
    # day); the long history ends before them, whatever the date.
    make_history(owner, today - timedelta(days=400), today - timedelta(days=2))
    client.force_login(owner)
    tables = set()
    addresses = ["/"] + [f"/progress/patterns/?range={key}" for key in RANGES]
    for address in addresses:
        for headers in ({}, {"HX-Request": "true"}):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(address, headers=headers).status_code == 200
            for query in queries:
                tables |= tables_read(query["sql"])
    by_table = {model._meta.db_table: model._meta.label for model in apps.get_models()}
    read = {by_table[table] for table in tables}
    assert set(DASHBOARD_SOURCES) <= read, "a source the dashboard no longer reads"
    assert read - NOT_SOURCES == set(DASHBOARD_SOURCES)


@pytest.mark.parametrize("label", DASHBOARD_SOURCES)
def test_every_source_writes_in_bulk_through_the_tracking_queryset(label):
    model = apps.get_model(label)
    for manager in model._meta.managers:
        assert isinstance(manager.get_queryset(), DataVersionQuerySet), manager.name
    # A person's related manager (user.practice_sessions) builds on the default manager.
    owner_field = model._meta.get_field("user").remote_field
    if not owner_field.hidden:
        related = getattr(User(pk=1), owner_field.get_accessor_name())
        assert isinstance(related.all(), DataVersionQuerySet)


def versions(*people) -> list[int]:
    return [User.objects.get(pk=person.pk).data_version for person in people]


def test_a_bulk_update_bumps_each_owner_it_touches_once(owner, stranger):
    today = owner.local_today()
    for back in range(3):
        make_session(owner, today - timedelta(days=back))
    make_session(stranger, today)
    before = versions(owner, stranger)
    assert PracticeSession.objects.filter(user=owner).update(notes="Quiet") == 3
    assert versions(owner, stranger) == [before[0] + 1, before[1]]
    assert PracticeSession.objects.update(notes="Calm") == 4
    assert versions(owner, stranger) == [before[0] + 2, before[1] + 1]


def test_a_bulk_update_or_delete_that_matches_nothing_bumps_nobody(
    owner, django_assert_num_queries
):
    make_session(owner, owner.local_today())
    before = versions(owner)
    nothing = PracticeSession.objects.filter(user=owner, notes="never written")
    with django_assert_num_queries(1):  # only looking for the owners
        assert nothing.update(notes="Calm") == 0
    assert nothing.delete()[0] == 0
    assert versions(owner) == before


def test_a_bulk_delete_bumps_each_owner_once_not_once_per_row(
    owner, stranger, django_assert_max_num_queries
):
    today = owner.local_today()
    make_history(owner, today - timedelta(days=60), today)
    make_session(stranger, today)
    before = versions(owner, stranger)
    rows = PracticeSession.objects.for_user(owner).count()
    assert rows > 30
    with django_assert_max_num_queries(6):
        assert PracticeSession.objects.filter(user=owner).delete()[0] == rows
    assert versions(owner, stranger) == [before[0] + 1, before[1]]


def test_deleting_an_entry_bumps_once_for_it_and_its_feelings(owner):
    from tests.journal.factories import make_entry

    entry = make_entry(owner, "A walk.", feelings=[("calm", 3), ("tired", 2)])
    before = versions(owner)
    JournalEntry.objects.filter(pk=entry.pk).delete()
    assert NamedEmotion.objects.filter(entry_id=entry.pk).count() == 0
    assert versions(owner) == [before[0] + 1]


def test_a_bulk_create_bumps_the_owners_of_the_new_rows(owner, stranger):
    today = owner.local_today()
    before = versions(owner, stranger)
    FacesRating.objects.bulk_create(
        [FacesRating(user=owner, local_date=today - timedelta(days=n), **FACES) for n in range(3)]
    )
    assert versions(owner, stranger) == [before[0] + 1, before[1]]
    FacesRating.objects.bulk_create([])
    assert versions(owner, stranger) == [before[0] + 1, before[1]]


def test_a_bulk_update_of_objects_bumps_their_owners(owner):
    sessions = [make_session(owner, owner.local_today() - timedelta(days=n)) for n in range(2)]
    before = versions(owner)
    for session in sessions:
        session.notes = "Rain"
    assert PracticeSession.objects.bulk_update(sessions, ["notes"]) == 2
    assert versions(owner) == [before[0] + 1]


def test_the_manager_cannot_delete_a_whole_table():
    assert not hasattr(PracticeSession.objects, "delete")
