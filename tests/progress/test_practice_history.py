"""Today's practice figures, counted from one read of the sessions, match the database's sums."""

from datetime import date, timedelta

import pytest
from django.db.models import Avg, Count, F, Q, Sum

from practices.models import PracticeSession
from progress.practice_history import practice_history
from tests.progress.factories import make_history, make_session, practice

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)


def test_the_counts_match_grouping_in_the_database(owner, stranger):
    make_history(owner, TODAY - timedelta(days=3 * 365), TODAY, seed=11)
    make_history(stranger, TODAY - timedelta(days=400), TODAY, seed=12)
    since = TODAY - timedelta(days=200)
    history = practice_history(owner, since, TODAY)

    mine = PracticeSession.objects.for_user(owner).filter(local_date__lte=TODAY)
    seconds = {
        (row["local_date"], row["practice_id"]): row["seconds"]
        for row in mine.filter(local_date__gte=since)
        .values("local_date", "practice_id")
        .annotate(seconds=Sum("seconds_practised"))
    }
    assert history.seconds == seconds
    assert history.practised_days == set(
        mine.filter(completed=True).values_list("local_date", flat=True)
    )
    rated = Q(before_rating__isnull=False, after_rating__isnull=False)
    use = {
        row["practice_id"]: row
        for row in mine.values("practice_id").annotate(
            times=Count("id"),
            rated=Count("id", filter=rated),
            change=Avg(F("after_rating") - F("before_rating"), filter=rated),
        )
    }
    assert set(history.use) == set(use)
    for practice_id, counted in history.use.items():
        assert counted.times == use[practice_id]["times"]
        assert counted.rated == use[practice_id]["rated"]
        assert counted.change == pytest.approx(use[practice_id]["change"])
    assert history.has_any_session


def test_days_after_today_and_other_people_are_left_out(owner, stranger):
    make_session(owner, TODAY + timedelta(days=1), minutes=20)  # a zone change can do this
    make_session(stranger, TODAY, minutes=30)
    history = practice_history(owner, TODAY - timedelta(days=30), TODAY)
    assert history.seconds == {} and history.practised_days == set() and history.use == {}
    assert not history.has_any_session


def test_seconds_are_counted_per_day_and_practice_from_the_first_day_asked(owner):
    make_session(owner, TODAY, minutes=10, slug="breathwork")
    make_session(owner, TODAY, minutes=5, slug="breathwork", completed=False)
    make_session(owner, TODAY, minutes=7, slug="body-scan")
    make_session(owner, TODAY - timedelta(days=31), minutes=50)  # before `since`
    history = practice_history(owner, TODAY - timedelta(days=30), TODAY)
    breathwork, body_scan = practice("breathwork").id, practice("body-scan").id
    assert history.seconds == {(TODAY, breathwork): 15 * 60, (TODAY, body_scan): 7 * 60}
    assert history.seconds_by_day == {TODAY: 22 * 60}
    # The earlier day still counts for streaks and for how often each was practised.
    assert history.practised_days == {TODAY, TODAY - timedelta(days=31)}
    assert history.use[breathwork].times == 3 and history.use[body_scan].times == 1


def test_only_sessions_rated_before_and_after_count_for_the_change(owner):
    make_session(owner, TODAY, before=3, after=7)
    make_session(owner, TODAY, before=5, after=6)
    make_session(owner, TODAY, before=4)  # no rating afterwards
    make_session(owner, TODAY, after=9)  # none before
    use = practice_history(owner, TODAY, TODAY).use[practice("breathwork").id]
    assert (use.times, use.rated, use.total_change) == (4, 2, 5)
    assert use.change == 2.5


def test_a_practice_never_rated_has_no_change(owner):
    make_session(owner, TODAY, before=4)
    use = practice_history(owner, TODAY, TODAY).use[practice("breathwork").id]
    assert use.rated == 0 and use.change is None


def test_the_written_out_read_hides_nothing_that_for_user_would():
    # The history's query is written out for speed and filters by owner only:
    # a kind of row hidden from its owner would have to be hidden there too.
    from practices.models import RestDay

    assert PracticeSession.objects.visible_condition() == Q()
    assert RestDay.objects.visible_condition() == Q()


def test_rest_days_come_in_the_same_read_on_any_database(owner):
    from practices.models import RestDay

    RestDay.objects.create(user=owner, local_date=TODAY - timedelta(days=2))
    make_session(owner, TODAY, minutes=10, slug="breathwork")
    history = practice_history(owner, TODAY - timedelta(days=30), TODAY)
    assert history.rest_days == frozenset({TODAY - timedelta(days=2)})
    assert history.seconds == {(TODAY, practice("breathwork").id): 600}


def test_todays_written_out_catalog_matches_the_orms(owner, stranger):
    from datetime import time

    from practices.models import Practice
    from progress.dashboard import catalog_with_last_settings

    first = make_session(owner, TODAY - timedelta(days=2), slug="breathwork")
    first.parameters = {"pattern": "box"}
    first.save()
    latest = make_session(owner, TODAY, slug="breathwork", at=time(9, 0))
    latest.parameters = {"pattern": "4-7-8"}
    latest.save()
    logged = make_session(owner, TODAY, slug="breathwork", at=time(10, 0))
    logged.parameters, logged.logged_manually = {"pattern": "resonance"}, True
    logged.save()
    theirs = make_session(stranger, TODAY, slug="body-scan", at=time(11, 0))
    theirs.parameters = {"minutes": 20}
    theirs.save()

    written = catalog_with_last_settings(owner)
    expected = Practice.objects.with_last_settings_of(owner).order_by("position", "name")
    assert [(p.slug, p.last_parameters) for p in written] == [
        (p.slug, p.last_parameters) for p in expected
    ]
    by_slug = {p.slug: p.last_parameters for p in written}
    # The latest begun here, not a later one logged by hand, and nobody else's.
    assert by_slug["breathwork"] == {"pattern": "4-7-8"}
    assert by_slug["body-scan"] is None
