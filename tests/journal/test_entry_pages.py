import re
from datetime import timedelta

from django.utils import timezone

from journal.models import UNDO_WINDOW, JournalEntry, NamedEmotion
from tests.journal.factories import make_check_in, make_entry, make_faces

HTMX = {"HX-Request": "true"}


def test_an_entry_page_shows_the_words_feelings_tags_and_that_day(owner_client, owner):
    entry = make_entry(
        owner,
        body="Line one\nLine two",
        feelings=[("anxious", 4, "chest"), ("calm", 2)],
        tags=["work"],
    )
    make_faces(owner, entry.local_date, score=4, note="a steady day")
    make_check_in(owner, chaos=8, rigidity=1, local_date=entry.local_date)
    make_faces(owner, entry.local_date - timedelta(1), score=1, note="another day")
    html = owner_client.get(f"/journal/{entry.public_id}/").content.decode()
    assert "<h1>Tuesday 10 March 2026</h1>" in html
    assert "<p>Line one<br>Line two</p>" in html
    assert "<strong>anxious</strong> <small>high energy, unpleasant</small>" in html
    assert "Strength when named: 4 of 5. Felt in: chest or heart." in html
    assert 'href="/journal/search/?tag=work"' in html
    assert "a steady day" in html and "another day" not in html
    assert "Near the chaos bank (chaos 8, rigidity 1)" in html


def test_what_a_person_writes_is_shown_as_text_never_as_markup(owner_client, owner):
    entry = make_entry(owner, body='<script>alert("hi")</script>\n<b>bold</b>', tags=["<i>x</i>"])
    html = owner_client.get(f"/journal/{entry.public_id}/").content.decode()
    assert "<script>alert" not in html and "<b>bold</b>" not in html and "<i>x</i>" not in html
    assert "&lt;script&gt;alert(&quot;hi&quot;)&lt;/script&gt;<br>&lt;b&gt;bold&lt;/b&gt;" in html


def test_the_edit_form_starts_with_what_was_saved(owner_client, owner):
    entry = make_entry(owner, body="Before", feelings=[("sad", 3, "throat")], tags=["rest"])
    html = owner_client.get(f"/journal/{entry.public_id}/edit/").content.decode()
    assert ">\nBefore</textarea>" in html
    assert 'value="rest"' in html
    assert re.search(r'name="emotions" value="sad" id="emotions-sad"[^>]*checked', html)
    assert re.search(r'name="intensity-sad" value="3"[^>]*checked', html)
    assert '<option value="throat" selected>' in html
    assert f'hx-post="/journal/{entry.public_id}/autosave/"' in html


def test_editing_changes_words_feelings_and_tags(owner_client, owner):
    entry = make_entry(owner, body="Before", feelings=[("sad", 3)], tags=["rest"])
    response = owner_client.post(
        f"/journal/{entry.public_id}/edit/",
        {
            "local_date": "2026-03-09",
            "body": "After",
            "tags": "walk",
            "emotions": ["calm"],
            "intensity-calm": "2",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.body, entry.local_date.isoformat(), entry.tag_names) == (
        "After",
        "2026-03-09",
        ["walk"],
    )
    assert list(entry.named_emotions.values_list("emotion__word", "intensity")) == [("calm", 2)]


def test_a_bad_edit_gets_a_field_error_and_changes_nothing(owner_client, owner):
    entry = make_entry(owner, body="Before", feelings=[("sad", 3)])
    response = owner_client.post(
        f"/journal/{entry.public_id}/edit/",
        {"local_date": "2026-03-10", "body": "After", "emotions": ["calm"], "intensity-calm": "9"},
    )
    assert response.status_code == 400
    assert "Choose how strong “calm” feels, from 1 to 5." in response.content.decode()
    entry.refresh_from_db()
    assert entry.body == "Before"
    assert list(entry.named_emotions.values_list("emotion__word", flat=True)) == ["sad"]


def test_saving_a_draft_from_the_edit_page_finishes_it(owner_client, owner):
    draft = make_entry(owner, body="Half", is_draft=True)
    owner_client.post(
        f"/journal/{draft.public_id}/edit/", {"local_date": "2026-03-10", "body": "Whole"}
    )
    draft.refresh_from_db()
    assert (draft.body, draft.is_draft) == ("Whole", False)


def test_deleting_hides_the_entry_and_offers_undo_for_a_few_minutes(
    owner_client, owner, time_machine
):
    time_machine.move_to("2026-03-10 12:00:00+00:00", tick=False)
    entry = make_entry(owner, body="Regretted words")
    response = owner_client.post(f"/journal/{entry.public_id}/delete/")
    assert response.status_code == 302 and response["Location"] == "/journal/"
    home = owner_client.get("/journal/").content.decode()
    assert "The entry is deleted. You can undo this here for 10 minutes." in home
    assert "Recently deleted" in home and "Regretted words" not in home
    assert f'action="/journal/{entry.public_id}/restore/"' in home
    assert owner_client.get(f"/journal/{entry.public_id}/").status_code == 404

    response = owner_client.post(f"/journal/{entry.public_id}/restore/")
    assert response["Location"] == f"/journal/{entry.public_id}/"
    entry.refresh_from_db()
    assert entry.deleted_at is None


def test_undo_is_gone_once_the_window_has_passed(owner_client, owner, time_machine):
    time_machine.move_to("2026-03-10 12:00:00+00:00", tick=False)
    entry = make_entry(owner)
    owner_client.post(f"/journal/{entry.public_id}/delete/")
    time_machine.move_to(timezone.now() + UNDO_WINDOW + timedelta(seconds=1), tick=False)
    assert "Recently deleted" not in owner_client.get("/journal/").content.decode()
    assert owner_client.post(f"/journal/{entry.public_id}/restore/").status_code == 404
    entry.refresh_from_db()
    assert entry.deleted_at is not None


def test_rerating_after_naming_swaps_in_the_updated_feeling(owner_client, owner):
    entry = make_entry(owner, feelings=[("anxious", 4)])
    named = entry.named_emotions.get()
    response = owner_client.post(
        f"/journal/feelings/{named.public_id}/after/", {"intensity_after": "2"}, headers=HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li id="named-{named.public_id}"')
    assert "After naming: 2 of 5." in html and "It eased a little." in html
    assert "HX-Request" in response["Vary"]
    named.refresh_from_db()
    assert named.intensity_after == 2


def test_a_stronger_feeling_after_naming_is_met_without_judgement(owner_client, owner):
    named = make_entry(owner, feelings=[("sad", 2)]).named_emotions.get()
    html = owner_client.post(
        f"/journal/feelings/{named.public_id}/after/", {"intensity_after": "4"}, headers=HTMX
    ).content.decode()
    assert "A little stronger. Sometimes a feeling gets clearer once we turn toward it." in html


def test_a_bad_rerating_is_explained_and_nothing_is_saved(owner_client, owner):
    named = make_entry(owner, feelings=[("anxious", 4)]).named_emotions.get()
    response = owner_client.post(
        f"/journal/feelings/{named.public_id}/after/", {"intensity_after": "9"}, headers=HTMX
    )
    assert response.status_code == 400
    assert "Choose how strong it feels now, from 1 to 5." in response.content.decode()
    named.refresh_from_db()
    assert named.intensity_after is None


def test_rerating_without_htmx_returns_to_the_entry(owner_client, owner):
    entry = make_entry(owner, feelings=[("anxious", 4)])
    named = entry.named_emotions.get()
    response = owner_client.post(
        f"/journal/feelings/{named.public_id}/after/", {"intensity_after": "3"}
    )
    assert response["Location"] == f"/journal/{entry.public_id}/"
    assert NamedEmotion.objects.get().intensity_after == 3


def test_entries_of_others_and_deleted_ones_are_not_listed(owner_client, owner, stranger):
    make_entry(owner, body="mine to see")
    make_entry(stranger, body="not for the owner")
    make_entry(owner, body="deleted one").soft_delete()
    html = owner_client.get("/journal/").content.decode()
    assert "mine to see" in html
    assert "not for the owner" not in html and "deleted one" not in html
    assert JournalEntry.objects.count() == 3
