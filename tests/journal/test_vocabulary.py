import pytest
from django.db import IntegrityError

from journal.models import EmotionWord, Quadrant
from journal.vocabulary import WORDS, quadrant_for, sync_vocabulary


def test_the_vocabulary_ships_at_least_a_hundred_distinct_words():
    assert len({word for word, *_ in WORDS}) == len(WORDS)
    assert EmotionWord.objects.count() == len(WORDS) >= 100


def test_every_quadrant_has_plenty_of_words_to_choose_from():
    for quadrant in Quadrant:
        assert EmotionWord.objects.filter(quadrant=quadrant).count() >= 25, quadrant


@pytest.mark.parametrize(
    ("word", "quadrant"),
    [
        ("anxious", Quadrant.HIGH_UNPLEASANT),
        ("excited", Quadrant.HIGH_PLEASANT),
        ("sad", Quadrant.LOW_UNPLEASANT),
        ("calm", Quadrant.LOW_PLEASANT),
    ],
)
def test_familiar_words_sit_in_the_quadrant_people_expect(word, quadrant):
    assert EmotionWord.objects.get(word=word).quadrant == quadrant


def test_each_words_quadrant_follows_its_place_on_the_two_axes():
    for emotion in EmotionWord.objects.all():
        assert -5 <= emotion.pleasantness <= 5 and emotion.pleasantness != 0, emotion
        assert -5 <= emotion.energy <= 5 and emotion.energy != 0, emotion
        assert emotion.quadrant == quadrant_for(emotion.pleasantness, emotion.energy), emotion


def test_loading_the_vocabulary_again_changes_nothing():
    before = EmotionWord.objects.count()
    assert sync_vocabulary(EmotionWord) == 0
    assert EmotionWord.objects.count() == before


def test_loading_the_vocabulary_puts_a_moved_word_back_in_place():
    EmotionWord.objects.filter(word="calm").update(pleasantness=-3, quadrant="low-unpleasant")
    assert sync_vocabulary(EmotionWord) == 1
    assert EmotionWord.objects.get(word="calm").quadrant == Quadrant.LOW_PLEASANT


def test_the_database_refuses_a_word_that_is_neither_pleasant_nor_unpleasant():
    with pytest.raises(IntegrityError):
        EmotionWord.objects.create(word="meh", pleasantness=0, energy=2)
