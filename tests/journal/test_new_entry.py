import re
from html import unescape

import pytest

from journal.models import JournalEntry, NamedEmotion, Tag
from journal.prompts import PROMPTS

URL = "/journal/new/"


def draft_key_in(html: str) -> str:
    return re.search(r'name="draft_key" value="([^"]+)"', html).group(1)


def new_entry_form(client) -> dict:
    html = client.get(URL).content.decode()
    return {"draft_key": draft_key_in(html), "local_date": "2026-03-10", "body": "", "tags": ""}


def test_it_works(owner_client, owner, time_machine):
    time_machine.move_to("2026-03-10 09:00:00+00:00", tick=False)
    response = owner_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<body hx-headers" in html and 'hx-history="false"' in html
    assert 'name="local_date" value="2026-03-10"' in html
    assert 'hx-post="/journal/new/autosave/"' in html
    assert 'hx-trigger="input changed delay:3s, change"' in html
    # The four quadrants are named in words, not only shown in colour.
    for label in [
        "High energy, unpleasant",
        "High energy, pleasant",
        "Low energy, unpleasant",
        "Low energy, pleasant",
    ]:
        assert f"<small>{label.lower()}</small>" in html
    assert html.count('name="emotions"') >= 100
    key = draft_key_in(html)
    assert JournalEntry.public_id_from_draft_key(owner, key) is not None
    assert key != draft_key_in(owner_client.get(URL).content.decode())  # one draft per page


def test_it_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/journal/new/")


def test_it_saves_text_feelings_and_tags_together(owner_client, owner):
    data = new_entry_form(owner_client) | {
        "body": "First line\r\nSecond line\r\n\r\nA new paragraph",
        "tags": "Work, #family , work",
        "emotions": ["anxious", "hopeful"],
        "intensity-anxious": "4",
        "body-anxious": "chest",
        "intensity-hopeful": "2",
    }
    response = owner_client.post(URL, data)
    entry = JournalEntry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/journal/{entry.public_id}/"
    assert entry.user == owner and not entry.is_draft
    assert entry.body == "First line\nSecond line\n\nA new paragraph"
    assert sorted(entry.tag_names) == ["family", "work"]
    feelings = {
        n.emotion.word: (n.intensity, n.body_location)
        for n in entry.named_emotions.select_related("emotion")
    }
    assert feelings == {"anxious": (4, "chest"), "hopeful": (2, "")}
    page = owner_client.get(response["Location"]).content.decode()
    assert "<p>First line<br>Second line</p>\n\n<p>A new paragraph</p>" in page
    assert "Your entry is saved." in page


def test_a_prompt_chosen_on_the_journal_home_goes_with_the_entry(owner_client):
    prompt = PROMPTS[3]
    html = owner_client.get(f"{URL}?prompt={prompt.key}").content.decode()
    assert prompt.text.replace("'", "&#x27;") in html
    assert f'name="prompt_key" value="{prompt.key}"' in html
    data = {
        "draft_key": draft_key_in(html),
        "local_date": "2026-03-10",
        "body": "Some thoughts",
        "prompt_key": prompt.key,
    }
    owner_client.post(URL, data)
    entry = JournalEntry.objects.get()
    assert (entry.prompt_key, entry.prompt_text) == (prompt.key, prompt.text)


def test_an_unknown_prompt_key_just_means_no_prompt(owner_client):
    data = new_entry_form(owner_client) | {"body": "Words", "prompt_key": "no-such-prompt"}
    assert owner_client.post(URL, data).status_code == 302
    assert JournalEntry.objects.get().prompt_key == ""


def test_pressing_save_twice_from_one_page_keeps_one_entry(owner_client):
    data = new_entry_form(owner_client) | {"body": "Only once", "emotions": ["calm"]}
    data["intensity-calm"] = "3"
    owner_client.post(URL, data)
    owner_client.post(URL, data)
    assert JournalEntry.objects.count() == 1
    assert NamedEmotion.objects.count() == 1


def test_saving_finishes_the_draft_that_autosave_started(owner_client):
    data = new_entry_form(owner_client) | {"body": "Half a thought"}
    owner_client.post("/journal/new/autosave/", data, headers={"HX-Request": "true"})
    draft = JournalEntry.objects.get()
    assert draft.is_draft
    owner_client.post(URL, data | {"body": "A whole thought"})
    entry = JournalEntry.objects.get()
    assert entry.pk == draft.pk and not entry.is_draft and entry.body == "A whole thought"


BAD_INPUT = [
    ({}, "Write a few words or name a feeling, so there is something to keep."),
    ({"body": "x", "local_date": "2026-03-11"}, "That day hasn't come yet where you are."),
    ({"body": "x", "local_date": "soon"}, "Enter a date, for example 2026-03-14."),
    (
        {"body": "x", "emotions": ["anxious"], "intensity-anxious": "lots"},
        "Choose how strong “anxious” feels, from 1 to 5.",
    ),
    (
        {"body": "x", "emotions": ["anxious"], "intensity-anxious": "7"},
        "Choose how strong “anxious” feels, from 1 to 5.",
    ),
    (
        {"body": "x", "emotions": ["anxious"], "intensity-anxious": "3", "body-anxious": "ear"},
        "Choose a place from the list, or leave it as “Not sure”.",
    ),
    ({"body": "x", "emotions": ["bamboozled"]}, "We don't know the word “bamboozled”."),
    ({"body": "x" * 50_001}, "Please keep it under 50,000 characters"),
    ({"body": "x", "tags": "a" * 41}, "Please keep each tag under 40 characters."),
    ({"body": "x", "tags": ",".join(f"t{n}" for n in range(13))}, "Please use at most 12 tags."),
]


@pytest.mark.parametrize(("changes", "message"), BAD_INPUT)
def test_bad_input_gets_a_clear_error_and_nothing_is_saved(
    owner_client, time_machine, changes, message
):
    time_machine.move_to("2026-03-10 12:00:00+00:00", tick=False)
    data = new_entry_form(owner_client) | changes
    response = owner_client.post(URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in unescape(html)
    assert 'class="field has-error"' in html
    assert not JournalEntry.objects.exists()
    assert not NamedEmotion.objects.exists()
    assert not Tag.objects.exists()


def test_a_tampered_draft_key_saves_nothing_and_offers_a_fresh_page(owner_client, owner):
    data = new_entry_form(owner_client) | {"body": "Words"}
    data["draft_key"] = data["draft_key"][:-2] + "xx"
    response = owner_client.post(URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "This page was out of date, so nothing was saved." in html
    assert "Words</textarea>" in html  # the words are still there to save again
    assert JournalEntry.public_id_from_draft_key(owner, draft_key_in(html)) is not None
    assert not JournalEntry.objects.exists()


def test_the_day_begins_at_midnight_where_the_person_is(owner_client, owner, time_machine):
    # 23:30 UTC on 1 March is already 00:30 on 2 March in Berlin.
    time_machine.move_to("2026-03-01 23:30:00+00:00", tick=False)
    html = owner_client.get(URL).content.decode()
    assert 'name="local_date" value="2026-03-02"' in html
    data = {"draft_key": draft_key_in(html), "local_date": "2026-03-02", "body": "Past midnight"}
    assert owner_client.post(URL, data).status_code == 302
    assert JournalEntry.objects.get().local_date.isoformat() == "2026-03-02"


def test_a_day_that_has_not_started_where_the_person_is_is_refused(stranger_client, time_machine):
    # Still 1 March (18:30) in New York while it is 2 March in Berlin.
    time_machine.move_to("2026-03-01 23:30:00+00:00", tick=False)
    html = stranger_client.get(URL).content.decode()
    assert 'name="local_date" value="2026-03-01"' in html
    data = {"draft_key": draft_key_in(html), "local_date": "2026-03-02", "body": "Too early"}
    assert stranger_client.post(URL, data).status_code == 400
    assert not JournalEntry.objects.exists()


def test_picking_feelings_redraws_only_the_body_questions(owner_client):
    response = owner_client.post(
        "/journal/new/feelings/",
        {"emotions": ["anxious", "calm", "not-a-word"], "intensity-calm": "2"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<form" not in html
    # The strength sits beside each word in the picker, not in this fragment.
    assert "intensity-" not in html
    assert 'for="id_body-anxious"' in html and 'for="id_body-calm"' in html
    assert "not-a-word" not in html
    assert "errorlist" not in html  # not judged yet: the person is still choosing


def test_with_no_feelings_picked_the_fragment_asks_nothing(owner_client):
    response = owner_client.post("/journal/new/feelings/", {}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_a_feeling_saved_without_a_strength_is_some_the_middle(owner_client, time_machine):
    time_machine.move_to("2026-03-10 12:00:00+00:00", tick=False)
    data = new_entry_form(owner_client) | {"emotions": ["calm"]}
    data.pop("intensity-calm", None)
    response = owner_client.post(URL, data)
    assert response.status_code == 302
    named = NamedEmotion.objects.get()
    assert (named.emotion.word, named.intensity) == ("calm", 3)


def test_the_strength_sits_beside_each_word_set_to_some(owner_client):
    html = owner_client.get(URL).content.decode()
    anxious = html[html.index('id="emotions-anxious"') :]
    anxious = anxious[: anxious.index("</li>")]
    assert "How strong is “anxious”?" in anxious
    assert re.search(r'name="intensity-anxious" value="3" checked', anxious)
    assert "uneasy about what might come" in html  # its meaning, beside it


def test_saving_a_new_entry_skips_comparing_with_feelings_and_tags_it_cannot_have(
    owner_client, owner, django_assert_num_queries
):
    data = new_entry_form(owner_client) | {"body": "Just words today."}

    # Session, user, the signed-in device's check, the draft's row (the vocabulary is
    # the process's copy, read when the form was shown); then in one transaction the
    # entry and its owner's data version. Nothing is read back to compare with.
    # Sealing costs the person's first data key (looked for, made, read back: once per
    # person) and the blind index one insert of the entry's search tokens.
    with django_assert_num_queries(12):
        response = owner_client.post(URL, data)

    assert response.status_code == 302
    entry = JournalEntry.objects.get()
    assert entry.body == "Just words today." and not entry.is_draft
    assert not entry.named_emotions.exists() and not entry.tags.exists()


def test_saving_a_draft_again_replaces_its_feelings_and_tags(owner_client, owner):
    data = new_entry_form(owner_client) | {
        "body": "First",
        "tags": "work",
        "emotions": ["anxious"],
        "intensity-anxious": "4",
    }
    owner_client.post("/journal/new/autosave/", data)
    owner_client.post(URL, data | {"tags": "home", "emotions": ["calm"], "intensity-calm": "2"})

    entry = JournalEntry.objects.get()
    assert [named.emotion.word for named in entry.named_emotions.all()] == ["calm"]
    assert [tag.name for tag in entry.tags.all()] == ["home"]
