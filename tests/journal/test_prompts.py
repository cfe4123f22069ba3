from datetime import date, timedelta
from types import SimpleNamespace
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from journal.prompts import PROMPTS, PROMPTS_BY_KEY, prompt_for


@pytest.fixture(autouse=True)
def vocabulary():
    """Prompts need no database; override the journal-wide vocabulary fixture."""


def person(public_id: UUID | None = None):
    return SimpleNamespace(public_id=public_id or uuid4())


def test_there_are_at_least_thirty_prompts_each_with_its_own_key_and_words():
    assert len(PROMPTS) >= 30
    assert len(PROMPTS_BY_KEY) == len(PROMPTS)
    assert len({prompt.text for prompt in PROMPTS}) == len(PROMPTS)
    for prompt in PROMPTS:
        assert prompt.text.strip() and prompt.theme.strip() and len(prompt.key) <= 40


def test_the_same_person_and_day_always_get_the_same_prompt():
    someone = person()
    day = date(2026, 3, 14)
    assert prompt_for(someone, day) == prompt_for(someone, day)
    assert prompt_for(someone, day).key == prompt_for(person(someone.public_id), day).key


@given(public_id=st.uuids(), day=st.dates(min_value=date(2000, 1, 2), max_value=date(2100, 1, 1)))
def test_no_prompt_is_suggested_two_days_running(public_id, day):
    someone = person(public_id)
    assert prompt_for(someone, day).key != prompt_for(someone, day - timedelta(days=1)).key


@given(public_id=st.uuids(), day=st.dates(min_value=date(2000, 1, 2), max_value=date(2100, 1, 1)))
def test_asking_for_other_prompts_never_brings_back_yesterdays(public_id, day):
    someone = person(public_id)
    yesterday = prompt_for(someone, day - timedelta(days=1)).key
    today = prompt_for(someone, day).key
    # Skipping walks through every prompt but today's and yesterday's, then comes back round.
    others = [prompt_for(someone, day, skip).key for skip in range(1, len(PROMPTS) - 1)]
    assert yesterday not in others
    assert today not in others
    assert len(set(others)) == len(PROMPTS) - 2
    assert prompt_for(someone, day, len(PROMPTS) - 1).key == today


def test_every_prompt_comes_round_before_any_repeats():
    someone = person()
    start = date(2026, 1, 1)
    keys = [prompt_for(someone, start + timedelta(days=n)).key for n in range(len(PROMPTS))]
    assert len(set(keys)) == len(PROMPTS)


def test_different_people_are_not_all_offered_the_same_prompt_on_a_day():
    day = date(2026, 3, 14)
    keys = {prompt_for(person(), day).key for _ in range(30)}
    assert len(keys) > 1


def test_reminders_can_use_a_persons_prompt_for_the_day(owner):
    today = owner.local_today()
    prompt = prompt_for(owner, today)
    assert prompt.text and prompt.key in PROMPTS_BY_KEY
