import re
from datetime import UTC, date, datetime, timedelta
from html import unescape

import pytest
from django.template.loader import render_to_string

from practices.models import PracticeSession
from progress.dashboard import Dashboard
from progress.insights import MIN_RECORDS
from tests.journal.factories import make_entry, make_faces, make_rupture
from tests.progress.factories import make_session

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)


@pytest.fixture(autouse=True)
def frozen_today(time_machine):
    time_machine.move_to(datetime(2026, 11, 24, 15, 0, tzinfo=UTC), tick=False)


def insights(user, range_key="90d"):
    return {insight.key: insight for insight in Dashboard(user, range_key).insights}


def in_words(insight) -> str:
    """The insight as the dashboard writes it."""
    partial = f"progress/sentences.html#insight-{insight.key}"
    return unescape(render_to_string(partial, {"insight": insight}))


def findings(insight) -> tuple[str, ...]:
    return tuple(re.findall(r"<li>(.*?)</li>", in_words(insight)))


def caveat(insight) -> str:
    return re.search(r'<p class="insight-caveat">(.*?)</p>', in_words(insight)).group(1)


def rated_sessions(user, count, *, slug="breathwork", before=4, after=6, start=1):
    for n in range(count):
        make_session(user, TODAY - timedelta(days=start + n), slug=slug, before=before, after=after)


def test_enough_data_means_ten_records():
    assert MIN_RECORDS == 10


def test_before_and_after_ratings_need_ten_sessions_of_a_practice(owner):
    rated_sessions(owner, MIN_RECORDS - 1)
    rated_sessions(owner, MIN_RECORDS, slug="body-scan", before=5, after=5)
    make_session(owner, TODAY, slug="breathwork")  # not rated: not counted
    found = insights(owner)["practices"]
    assert found.n == MIN_RECORDS
    assert findings(found) == (
        "Body scan: about as settled afterwards as before, over 10 sessions.",
    )
    assert "not a measurement" in caveat(found)

    rated_sessions(owner, 1, start=20)
    found = insights(owner)["practices"]
    assert found.n == 2 * MIN_RECORDS
    assert (
        findings(found)[0]
        == "Breathwork: about 2.0 points more settled afterwards, over 10 sessions."
    )


def test_no_insight_appears_with_nine_records_of_anything(owner):
    rated_sessions(owner, MIN_RECORDS - 1)
    for n in range(MIN_RECORDS - 1):
        day = TODAY - timedelta(days=n)
        entry = make_entry(owner, local_date=day, feelings=[("anxious", 4)])
        entry.named_emotions.update(intensity_after=3)
        make_faces(owner, local_date=day, score=3)
        make_faces(owner, local_date=day - timedelta(days=30), score=3)
        make_rupture(owner, ruptured_on=day, repaired_on=day)
    # Before-words are sealed: written through the model, as nothing else can write them.
    for session in PracticeSession.objects.all():
        session.before_emotion = "tense"
        session.save(update_fields=["before_emotion"])
    assert insights(owner) == {}


def test_feeling_less_settled_is_said_plainly_and_without_blame(owner):
    rated_sessions(owner, MIN_RECORDS, before=6, after=5)
    (finding,) = findings(insights(owner)["practices"])
    assert finding == "Breathwork: about 1.0 points less settled afterwards, over 10 sessions."


def test_naming_feelings_counts_softer_same_and_stronger(owner):
    afters = [2, 2, 3, 4, 5, 1, 1, 2, 3, 4, None]
    for n, after in enumerate(afters):
        entry = make_entry(owner, local_date=TODAY - timedelta(days=n), feelings=[("anxious", 4)])
        entry.named_emotions.update(intensity_after=after)
    found = insights(owner)["naming"]
    assert found.n == 10
    assert findings(found) == (
        "Of 10 feelings you rated again after naming them, 7 felt softer, 2 about the same "
        "and 1 stronger.",
    )
    assert "Lieberman" in caveat(found) and "can't show why" in caveat(found)


def test_faces_on_practice_days_needs_ten_days_of_each_kind(owner):
    for n in range(20):
        day = TODAY - timedelta(days=n)
        make_faces(owner, local_date=day, score=4 if n % 2 else 3)
        if n % 2:
            make_session(owner, day)
        else:
            make_session(owner, day, completed=False)  # unfinished: not a practised day
    found = insights(owner)["faces"]
    assert found.n == 20
    assert findings(found) == (
        "On 10 days you practised, your FACES average was 4.0 out of 5; on 10 other days it "
        "was 3.0.",
    )
    assert "not that one causes the other" in caveat(found)

    make_session(owner, TODAY)  # now only nine days without practice
    assert "faces" not in insights(owner)


def test_the_feelings_most_often_named_before_a_practice(owner):
    words = ["Tense", "tense ", "tired", "tense", "restless", "tired", "calm", "", "hopeful"]
    for n, word in enumerate(words):
        session = make_session(owner, TODAY - timedelta(days=n))
        session.before_emotion = word
        session.save(update_fields=["before_emotion"])
    # Eight sessions with a word: not enough yet.
    assert "before" not in insights(owner)

    for n in range(2):
        session = make_session(owner, TODAY - timedelta(days=20 + n))
        session.before_emotion = "Restless"
        session.save(update_fields=["before_emotion"])
    found = insights(owner)["before"]
    assert found.n == 10
    assert findings(found) == (
        "The words you wrote most often before a practice: restless (3 times); tense "
        "(3 times); tired (2 times).",
    )
    assert "not what practice does" in caveat(found)


def test_time_to_repair_compares_earlier_repairs_with_recent_ones(owner):
    for n in range(MIN_RECORDS):
        ruptured = TODAY - timedelta(days=80 - 7 * n)
        make_rupture(
            owner,
            ruptured_on=ruptured,
            repaired_on=ruptured + timedelta(days=4 if n < 5 else 1),
        )
    make_rupture(owner, ruptured_on=TODAY - timedelta(days=2))  # not repaired yet: not counted
    found = insights(owner)["repair"]
    assert found.n == 10
    assert findings(found) == (
        "Your earlier 5 repairs (from September 2026) came about 4.0 days after the rupture, "
        "on average.",
        "Your more recent 5 (up to November 2026) came about 1.0 day after it.",
    )
    assert "bigger than others" in caveat(found)


def test_insights_follow_the_chosen_range(owner):
    rated_sessions(owner, MIN_RECORDS, start=100)
    assert "practices" in insights(owner, "1y")
    assert "practices" in insights(owner, "all")
    assert "practices" not in insights(owner, "90d")


def test_the_dashboard_shows_each_insight_with_its_n_and_caveat(owner_client, owner):
    rated_sessions(owner, MIN_RECORDS)
    html = unescape(owner_client.get("/progress/patterns/").content.decode())
    assert "How settled you felt, before and after" in html
    assert (
        "Based on 10 sessions where you rated how settled you felt before and after (n = 10)."
        in html
    )
    assert "a practice chosen on a calmer day may look different" in html
