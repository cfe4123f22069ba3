"""Today's "how are you?": a quadrant, then a word, kept without writing an entry."""

import pytest
from django.core.exceptions import ValidationError

from journal.models import EmotionWord, JournalEntry, NamedEmotion
from portability import export
from progress.panels.feelings import feeling_rows
from progress.ranges import chart_range
from tests.journal.factories import make_entry

URL = "/journal/feel/"
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def frozen_today(time_machine):
    time_machine.move_to("2026-03-10 12:00:00+00:00", tick=False)


def test_the_first_step_offers_the_four_quadrants_in_words(owner_client):
    response = owner_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "How are you, right now?" in html
    for key, words in [
        ("high-unpleasant", "Tense, upset"),
        ("high-pleasant", "Bright, excited"),
        ("low-unpleasant", "Low, heavy"),
        ("low-pleasant", "Calm, at ease"),
    ]:
        assert f'href="/journal/feel/?quadrant={key}"' in html and words in html


def test_a_quadrant_shows_its_words_with_meanings_and_writes_nothing(owner_client):
    response = owner_client.get(URL, {"quadrant": "low-pleasant"}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and 'id="how-are-you"' in html
    assert 'name="word" value="calm"' in html and "steady and unhurried" in html
    assert 'name="word" value="anxious"' not in html  # another quadrant's word
    assert 'name="intensity" value="3" checked' in html  # "some" until changed
    assert response["Vary"] and "HX-Request" in response["Vary"]
    assert not JournalEntry.objects.exists()


def test_an_unknown_quadrant_gets_a_clear_400(owner_client):
    response = owner_client.get(URL, {"quadrant": "sideways"}, headers=HTMX)
    assert response.status_code == 400
    assert "Please choose one of the four groups." in response.content.decode()


def test_tapping_a_word_keeps_the_feeling_at_some_strength(owner_client, owner):
    response = owner_client.post(URL, {"quadrant": "low-pleasant", "word": "calm"}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="status" data-swap-focus' in html and "<strong>calm</strong>, 3 of 5" in html
    named = NamedEmotion.objects.get()
    entry = named.entry
    assert (entry.user, entry.body, entry.is_draft, entry.local_date.isoformat()) == (
        owner,
        "",
        False,
        "2026-03-10",
    )
    assert (named.user, named.emotion.word, named.intensity) == (owner, "calm", 3)
    assert f'href="/journal/{entry.public_id}/edit/"' in html


def test_a_chosen_strength_is_kept(owner_client):
    owner_client.post(URL, {"word": "anxious", "intensity": "5"})
    assert NamedEmotion.objects.get().intensity == 5


def test_without_javascript_it_is_a_plain_page(owner_client):
    response = owner_client.post(URL, {"word": "calm"})
    assert response.status_code == 200
    assert "<html" in response.content.decode() and "Name a feeling" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Tap the word that fits best."),
        ({"word": "bamboozled"}, "We don&#x27;t know the word “bamboozled”."),
        ({"word": "calm", "intensity": "9"}, "Choose how strong it is: barely, a little, some"),
        ({"word": "calm", "intensity": "0"}, "Choose how strong it is: barely, a little, some"),
    ],
)
def test_bad_input_gets_a_clear_400_and_nothing_is_kept(owner_client, data, message):
    response = owner_client.post(URL, {"quadrant": "low-pleasant", **data}, headers=HTMX)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and 'role="alert"' in html
    assert 'name="word" value="calm"' in html  # the words stay, to choose again
    assert not JournalEntry.objects.exists() and not NamedEmotion.objects.exists()


def test_the_model_checks_the_strength_too(owner):
    with pytest.raises(ValidationError):
        JournalEntry.objects.name_feeling(owner, EmotionWord.objects.get(word="calm"), 6)
    assert not JournalEntry.objects.exists()


def test_it_needs_a_login(client):
    assert client.post(URL, {"word": "calm"}).status_code == 302
    assert not JournalEntry.objects.exists()


def test_a_stranger_naming_a_feeling_changes_nothing_of_the_owners(
    owner_client, stranger_client, owner, stranger
):
    mine = make_entry(owner, body="mine", feelings=[("sad", 2)])
    stranger_client.post(URL, {"word": "calm"})
    assert list(JournalEntry.objects.filter(user=owner)) == [mine]
    assert NamedEmotion.objects.get(user=stranger).emotion.word == "calm"
    # And the stranger cannot re-rate the owner's feeling (nor see it).
    named = mine.named_emotions.get()
    response = stranger_client.post(
        f"/journal/feelings/{named.public_id}/after/", {"intensity_after": 1}
    )
    assert response.status_code == 404
    named.refresh_from_db()
    assert named.intensity_after is None


def test_a_quick_feeling_is_counted_in_the_feelings_chart_and_exported(owner_client, owner):
    owner_client.post(URL, {"word": "calm", "intensity": "2"})
    rows = feeling_rows(owner, chart_range(None), owner.local_today())
    assert [(row["quadrant"], row["n"]) for row in rows] == [("low-pleasant", 1)]
    entries = export.export_data(owner)["journal_entries"]
    assert [feeling["word"] for entry in entries for feeling in entry["feelings"]] == ["calm"]


def test_rerating_a_quick_feeling_says_saved_and_takes_focus(owner_client):
    owner_client.post(URL, {"word": "calm"})
    named = NamedEmotion.objects.get()
    response = owner_client.post(
        f"/journal/feelings/{named.public_id}/after/", {"intensity_after": 2}, headers=HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="status" data-swap-focus' in html and "is 2 of 5 now" in html
