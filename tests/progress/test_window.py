"""Which practices brought a person back within their window: from their own
check-ins just before and just after practising, counted honestly."""

import re
from datetime import UTC, date, datetime, time, timedelta
from html import unescape

import pytest

from journal.models import WindowCheckIn
from progress.window import MIN_PAIRS, PAIR_GAP, BackWithin, back_within, window_summary
from tests.progress.factories import make_history, make_session

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)


@pytest.fixture(autouse=True)
def frozen_today(time_machine):
    time_machine.move_to(datetime(2026, 11, 24, 15, 0, tzinfo=UTC), tick=False)


def check_in(user, state: str, at: datetime) -> WindowCheckIn:
    return WindowCheckIn.objects.record(user, state, now=at)


def practise_between(user, day: date, before: str, after: str, *, slug="breathwork", hour=8):
    """A check-in 5 minutes before a 10-minute practice, and one 5 minutes after it."""
    session = make_session(user, day, minutes=10, slug=slug, at=time(hour, 0))
    assert session.ended_at is not None
    check_in(user, before, session.started_at - timedelta(minutes=5))
    check_in(user, after, session.ended_at + timedelta(minutes=5))
    return session


def words(response) -> str:
    html = unescape(response.content.decode())
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# The counting, on its own ----------------------------------------------------------

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


def test_a_before_and_after_counts_only_within_the_gap_on_each_side():
    sessions = [("Breathing", T0, T0 + timedelta(minutes=10))]
    close = [(T0 - PAIR_GAP, "above"), (T0 + timedelta(minutes=10) + PAIR_GAP, "within")]
    assert back_within(close, sessions * 1) == []  # fewer than the minimum
    many = [
        ("Breathing", T0 + timedelta(days=d), T0 + timedelta(days=d, minutes=10))
        for d in range(MIN_PAIRS)
    ]
    pairs = [
        pair
        for d in range(MIN_PAIRS)
        for pair in (
            (T0 + timedelta(days=d) - PAIR_GAP, "above"),
            (T0 + timedelta(days=d, minutes=10) + PAIR_GAP, "within" if d % 2 else "above"),
        )
    ]
    assert back_within(pairs, many) == [
        BackWithin(state="above", practice="Breathing", back=MIN_PAIRS // 2, times=MIN_PAIRS)
    ]
    a_second_too_far = [
        (moment - timedelta(seconds=1) if state == "above" else moment, state)
        for moment, state in pairs
    ]
    assert back_within(a_second_too_far, many) == []


def test_a_practice_begun_within_the_window_is_not_counted_as_bringing_anyone_back():
    many = [
        ("Breathing", T0 + timedelta(days=d), T0 + timedelta(days=d, minutes=10))
        for d in range(MIN_PAIRS)
    ]
    pairs = [
        pair
        for d in range(MIN_PAIRS)
        for pair in (
            (T0 + timedelta(days=d, minutes=-1), "within"),
            (T0 + timedelta(days=d, minutes=11), "within"),
        )
    ]
    assert back_within(pairs, many) == []


def test_the_check_in_nearest_each_side_of_a_practice_is_the_one_that_counts():
    session = [("Breathing", T0, T0 + timedelta(minutes=10))] * MIN_PAIRS
    pairs = [
        (T0 - timedelta(minutes=20), "within"),
        (T0 - timedelta(minutes=2), "below"),  # the latest before: counts
        (T0 + timedelta(minutes=12), "within"),  # the first after: counts
        (T0 + timedelta(minutes=25), "above"),
    ]
    assert back_within(pairs, session) == [
        BackWithin(state="below", practice="Breathing", back=MIN_PAIRS, times=MIN_PAIRS)
    ]


# From the person's own records ------------------------------------------------------


def test_without_enough_befores_and_afters_no_practice_is_named(owner):
    for back in range(MIN_PAIRS - 1):
        practise_between(owner, TODAY - timedelta(days=back), "above", "within")
    summary = window_summary(owner, None, TODAY)
    assert summary.back_within == []
    assert summary.counts == {"above": MIN_PAIRS - 1, "within": MIN_PAIRS - 1, "below": 0}


def test_with_enough_the_practices_that_brought_the_person_back_are_counted_n_out_of_m(owner):
    for back in range(6):
        practise_between(
            owner, TODAY - timedelta(days=back), "above", "within" if back < 4 else "above"
        )
    for back in range(5):
        practise_between(
            owner, TODAY - timedelta(days=back), "below", "within", slug="grounding", hour=18
        )
    for back in range(5):  # practised without checking in after: not counted
        make_session(owner, TODAY - timedelta(days=back), slug="body-scan", at=time(12, 0))
        check_in(
            owner,
            "above",
            datetime.combine(TODAY - timedelta(days=back), time(11, 55), tzinfo=owner.zone),
        )
    rows = window_summary(owner, None, TODAY).back_within
    assert [(row.state, row.practice, row.back, row.times) for row in rows] == [
        ("above", "Breathwork", 4, 6),
        ("below", "Grounding 5-4-3-2-1", 5, 5),
    ]


def test_the_check_in_card_names_what_brought_the_person_back_once_there_is_enough(
    owner_client, owner
):
    for back in range(1, 6):
        practise_between(
            owner, TODAY - timedelta(days=back), "above", "within" if back != 3 else "above"
        )
    said = words(owner_client.post("/journal/window/now/", {"state": "above"}))
    assert "after Breathwork, you were back within your window 4 times out of 5" in said
    # Below the window there are no befores and afters yet: the card says how to get some.
    said = words(owner_client.post("/journal/window/now/", {"state": "below"}))
    assert "back within your window" not in said
    assert f"once there are {MIN_PAIRS} befores and afters for a practice" in said


def test_another_persons_records_never_count(owner_client, owner, stranger):
    for back in range(1, 6):
        practise_between(stranger, TODAY - timedelta(days=back), "above", "within")
    said = words(owner_client.post("/journal/window/now/", {"state": "above"}))
    assert "back within your window" not in said


def test_the_patterns_page_shows_the_window_beside_the_river(owner_client, owner):
    for back in range(1, 6):
        practise_between(owner, TODAY - timedelta(days=back), "below", "within", slug="grounding")
    check_in(owner, "above", datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    response = owner_client.get("/progress/patterns/")
    said = words(response)
    assert (
        "You checked in with your window 11 times in the last 90 days: "
        "1 above, 5 within and 5 below." in said
    )
    assert (
        "When you were below your window, Grounding 5-4-3-2-1 brought you back within "
        "5 times out of 5." in said
    )
    html = response.content.decode()
    assert html.index("The river: chaos and rigidity") < html.index("Your window of tolerance")


def test_the_patterns_page_without_check_ins_says_how_to_begin(owner_client, owner):
    make_history(owner, TODAY - timedelta(days=10), TODAY)
    said = words(owner_client.get("/progress/patterns/"))
    assert "No window check-ins in the last 90 days." in said


def test_today_with_a_map_a_plan_and_check_ins_stays_within_its_query_budget(
    owner_client, owner, django_assert_max_num_queries
):
    from journal.models import LookBackPlan, WindowMap
    from tests.progress.test_dashboard import QUERY_BUDGET

    make_history(owner, TODAY - timedelta(days=60), TODAY)
    WindowMap.objects.create(user=owner, above_signs=["tense"], below_signs=["foggy"])
    LookBackPlan.objects.create(user=owner, starts_on=TODAY - timedelta(days=20))
    for back in range(1, 6):
        practise_between(owner, TODAY - timedelta(days=back), "above", "within")
    with django_assert_max_num_queries(QUERY_BUDGET["/"]):
        response = owner_client.get("/")
    said = words(response)
    assert "tense" in said and "foggy" in said and "Practice strength" in said
    assert "Your look back is ready" in said
    with django_assert_max_num_queries(3):  # session and user only, as before
        again = owner_client.get("/")
    assert words(again) == said
