import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from ipnb_site import reference
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


# Each process's copy of the words (ipnb_site/reference.py) ------------------------------


def words_offered(client) -> str:
    return client.get("/journal/new/").content.decode()


def test_a_warm_process_shows_and_saves_the_entry_form_without_reading_the_words(
    owner_client, owner
):
    words_offered(owner_client)
    with CaptureQueriesContext(connection) as queries:
        html = words_offered(owner_client)
        owner_client.get("/journal/search/", {"q": "river"})
    assert 'value="calm"' in html
    assert not [query for query in queries if "journal_emotionword" in query["sql"]]


def test_a_word_added_here_is_offered_at_once(owner_client):
    words_offered(owner_client)
    EmotionWord.objects.create(word="unhurried", pleasantness=3, energy=-2, meaning="In no rush.")
    assert 'value="unhurried"' in words_offered(owner_client)


def test_a_word_changed_by_another_process_is_offered_within_the_minute(owner_client, monkeypatch):
    words_offered(owner_client)
    # An update sends no signal: to this process it is another process's edit.
    EmotionWord.objects.filter(word="calm").update(meaning="Settled and quiet inside.")
    assert "Settled and quiet inside." not in words_offered(owner_client)

    now = reference.monotonic()
    monkeypatch.setattr(reference, "monotonic", lambda: now + reference.KEEP_SECONDS + 1)
    assert "Settled and quiet inside." in words_offered(owner_client)


def test_the_copy_finds_a_word_by_name_and_lists_each_quadrant_as_the_database_does():
    assert EmotionWord.named("calm") == EmotionWord.objects.get(word="calm")
    assert EmotionWord.named("bamboozled") is None
    for quadrant in Quadrant:
        expected = list(EmotionWord.objects.filter(quadrant=quadrant).order_by("word"))
        assert list(EmotionWord.in_quadrant(quadrant.value)) == expected, quadrant
    assert EmotionWord.in_quadrant("") == ()
