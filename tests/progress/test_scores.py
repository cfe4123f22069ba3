from datetime import date, timedelta

import pytest

from progress.scores import current_streak, longest_streak, practice_strength

TODAY = date(2026, 11, 24)


def days_back(*offsets: int) -> set[date]:
    return {TODAY - timedelta(days=n) for n in offsets}


def test_a_streak_counts_days_in_a_row_up_to_today():
    assert current_streak(days_back(0, 1, 2), TODAY) == 3


def test_today_not_yet_practised_does_not_break_the_streak():
    assert current_streak(days_back(1, 2, 3), TODAY) == 3


def test_a_missed_day_ends_the_streak():
    assert current_streak(days_back(0, 2, 3), TODAY) == 1
    assert current_streak(days_back(2, 3), TODAY) == 0


def test_longest_streak_finds_the_longest_run():
    assert longest_streak(days_back(0, 1, 5, 6, 7, 8, 20)) == 4
    assert longest_streak(set()) == 0


def test_strength_is_zero_without_practice():
    assert practice_strength(set(), TODAY) == 0.0


def test_a_month_of_daily_practice_builds_strength_and_a_miss_costs_little():
    month = days_back(*range(30))
    strength = practice_strength(month, TODAY)
    assert 0.79 < strength < 0.81
    missed_yesterday = practice_strength(month - days_back(1), TODAY)
    assert strength - missed_yesterday < 0.06
    two_months = practice_strength(days_back(*range(60)), TODAY)
    assert two_months > 0.95


def test_strength_halves_in_about_thirteen_days_without_practice():
    practised = {TODAY - timedelta(days=100 + n) for n in range(200)}
    at_stop = practice_strength(practised, TODAY - timedelta(days=100))
    later = practice_strength(practised, TODAY - timedelta(days=87))
    assert later == pytest.approx(at_stop / 2, rel=0.02)


# Planned rest days ---------------------------------------------------------------


def test_a_rest_day_keeps_the_run_going_without_adding_to_it():
    practised, rest = days_back(0, 2, 3), days_back(1)
    assert current_streak(practised, TODAY, rest) == 3
    assert current_streak(practised, TODAY) == 1


def test_resting_today_keeps_yesterdays_run():
    assert current_streak(days_back(1, 2), TODAY, days_back(0)) == 2


def test_an_unplanned_gap_still_ends_the_run_after_a_rest_day():
    assert current_streak(days_back(0, 3, 4), TODAY, days_back(1)) == 1


def test_the_longest_run_steps_over_rest_days_and_counts_practice_only():
    practised = days_back(10, 11, 13, 14, 15)
    assert longest_streak(practised) == 3
    assert longest_streak(practised, days_back(12)) == 5
    # Rest days alone make no run.
    assert longest_streak(set(), days_back(1, 2)) == 0


def test_a_rest_day_leaves_the_strength_where_it_was():
    month = days_back(*range(1, 31))
    rested_today = practice_strength(month, TODAY, days_back(0))
    as_of_yesterday = practice_strength(month, TODAY - timedelta(days=1))
    assert rested_today == pytest.approx(as_of_yesterday)
    missed_today = practice_strength(month, TODAY)
    assert missed_today < rested_today


def test_a_rest_day_in_the_past_stops_the_decay_for_that_day_only():
    practised = days_back(5)
    one_rest = practice_strength(practised, TODAY, days_back(2))
    assert one_rest == pytest.approx(practice_strength(days_back(4), TODAY))


def test_practising_on_a_rest_day_counts_as_practice():
    assert practice_strength(days_back(0), TODAY, days_back(0)) == pytest.approx(
        practice_strength(days_back(0), TODAY)
    )
    assert current_streak(days_back(0, 1), TODAY, days_back(0)) == 2
