from datetime import UTC, date, datetime, timedelta
from html import unescape

import pytest
from django.template.loader import render_to_string

from practices.models import Practice
from progress.dashboard import Dashboard
from progress.insights import MIN_RECORDS
from tests.progress.factories import make_session

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)


@pytest.fixture(autouse=True)
def frozen_today(time_machine):
    time_machine.move_to(datetime(2026, 11, 24, 15, 0, tzinfo=UTC), tick=False)


def suggestions(user, days=10):
    """What the dashboard suggests on each of `days` days from TODAY."""
    return [Dashboard(user, today=TODAY + timedelta(days=n)).suggestion for n in range(days)]


def reason(suggestion) -> str:
    """Why the dashboard says it suggests this practice."""
    context = {"suggestion": suggestion}
    return unescape(render_to_string("progress/sentences.html#suggestion-reason", context))


def rated(user, slug, count, change, start=1):
    for n in range(count):
        make_session(user, TODAY - timedelta(days=start + n), slug=slug, before=4, after=4 + change)


def test_before_there_is_enough_data_the_whole_catalog_takes_turns(owner):
    rated(owner, "breathwork", MIN_RECORDS - 1, 3)
    found = suggestions(owner, days=Practice.objects.count())
    assert {s.practice.slug for s in found} == set(Practice.objects.values_list("slug", flat=True))
    assert not any(s.based_on_ratings for s in found)
    assert "until your before-and-after ratings can show what helps you most" in reason(found[0])


def test_with_enough_ratings_the_practices_that_helped_most_take_turns(owner):
    rated(owner, "breathwork", MIN_RECORDS, 3)
    rated(owner, "body-scan", MIN_RECORDS, 2, start=20)
    rated(owner, "grounding", MIN_RECORDS, 1, start=40)
    rated(owner, "meditation-timer", MIN_RECORDS, 0, start=60)  # no change: never suggested
    rated(owner, "wheel-of-awareness", MIN_RECORDS - 1, 5, start=80)  # too few ratings
    found = suggestions(owner, days=6)
    assert all(s.based_on_ratings for s in found)
    assert {s.practice.slug for s in found} == {"breathwork", "body-scan", "grounding"}
    # Varied: never the same practice two days running.
    assert all(a.practice != b.practice for a, b in zip(found, found[1:], strict=False))
    breathwork = next(s for s in found if s.practice.slug == "breathwork")
    assert reason(breathwork) == (
        "Across 10 sessions you rated, you felt about 3.0 points more settled afterwards."
    )


def test_a_single_practice_that_helped_alternates_with_others(owner):
    rated(owner, "breathwork", MIN_RECORDS, 2)
    found = suggestions(owner, days=6)
    slugs = [s.practice.slug for s in found]
    assert slugs.count("breathwork") == 3
    assert all(a != b for a, b in zip(slugs, slugs[1:], strict=False))
    others = [s for s in found if s.practice.slug != "breathwork"]
    assert len({s.practice.slug for s in others}) > 1
    assert all(reason(s) == "Something different today, for variety." for s in others)


def test_the_suggestion_is_a_link_to_the_practice_on_the_dashboard(owner_client, owner):
    rated(owner, "body-scan", MIN_RECORDS, 3)
    suggestion = Dashboard(owner).suggestion
    html = unescape(owner_client.get("/").content.decode())
    url = suggestion.practice.get_absolute_url()
    assert f'Suggested for today: <a href="{url}">{suggestion.practice.name}</a>.' in html


def test_another_persons_ratings_never_shape_the_suggestion(owner, stranger):
    rated(stranger, "breathwork", MIN_RECORDS, 4)
    assert not any(s.based_on_ratings for s in suggestions(owner, days=3))
