import re

from journal.models import JournalEntry
from tests.journal.factories import make_entry

URL = "/journal/new/autosave/"
HTMX = {"HX-Request": "true"}


def page_draft_key(client) -> str:
    html = client.get("/journal/new/").content.decode()
    return re.search(r'name="draft_key" value="([^"]+)"', html).group(1)


def autosave(client, key, body, **fields):
    data = {"draft_key": key, "local_date": "2026-03-29", "body": body, "tags": ""} | fields
    return client.post(URL, data, headers=HTMX)


def test_the_first_autosave_makes_one_draft_and_later_ones_update_it(owner_client, owner):
    key = page_draft_key(owner_client)
    for words in ["Dear", "Dear river", "Dear river, today"]:
        response = autosave(owner_client, key, words)
        assert response.status_code == 200
    entry = JournalEntry.objects.get()
    assert (entry.user, entry.body, entry.is_draft) == (owner, "Dear river, today", True)
    assert str(entry.public_id) == key.split(":")[0]


def test_autosave_answers_with_the_saved_time_where_the_person_is(owner_client, time_machine):
    time_machine.move_to("2026-03-10 09:42:00+00:00", tick=False)
    response = autosave(
        owner_client, page_draft_key(owner_client), "Words", local_date="2026-03-10"
    )
    assert response.content.decode().strip() == "Saved 10:42"  # Berlin is UTC+1 in winter
    assert "<html" not in response.content.decode()


def test_the_saved_time_follows_the_spring_clock_change(owner_client, time_machine):
    # Berlin moves from 02:00 CET to 03:00 CEST at 01:00 UTC on 29 March 2026.
    key = page_draft_key(owner_client)
    time_machine.move_to("2026-03-29 00:30:00+00:00", tick=False)
    assert autosave(owner_client, key, "Before").content.decode().strip() == "Saved 01:30"
    time_machine.move_to("2026-03-29 01:30:00+00:00", tick=False)
    assert autosave(owner_client, key, "After").content.decode().strip() == "Saved 03:30"
    entry = JournalEntry.objects.get()
    assert entry.local_date.isoformat() == "2026-03-29" and entry.body == "After"


def test_nothing_is_stored_before_anything_is_written(owner_client):
    response = autosave(owner_client, page_draft_key(owner_client), "   ")
    assert response.status_code == 200
    assert response.content.decode().strip() == ""
    assert not JournalEntry.objects.exists()


def test_autosave_keeps_tags_too(owner_client):
    autosave(owner_client, page_draft_key(owner_client), "Words", tags="work, rest")
    assert sorted(JournalEntry.objects.get().tag_names) == ["rest", "work"]


def test_autosave_of_a_saved_entry_updates_its_words_and_keeps_it_saved(owner_client, owner):
    entry = make_entry(owner, body="Old words", feelings=[("calm", 2)])
    response = owner_client.post(
        f"/journal/{entry.public_id}/autosave/",
        {"local_date": "2026-03-10", "body": "New words", "tags": ""},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert response.content.decode().strip().startswith("Saved ")
    entry.refresh_from_db()
    assert (entry.body, entry.is_draft) == ("New words", False)
    assert entry.named_emotions.count() == 1  # feelings are left alone


def test_bad_autosave_input_is_refused_and_the_last_saved_words_stay(owner_client):
    key = page_draft_key(owner_client)
    autosave(owner_client, key, "Kept")
    response = autosave(owner_client, key, "x" * 50_001)
    assert response.status_code == 400
    assert "Not saved: This entry is very long." in response.content.decode()
    assert JournalEntry.objects.get().body == "Kept"


def test_a_missing_date_is_explained_and_nothing_changes(owner_client):
    key = page_draft_key(owner_client)
    autosave(owner_client, key, "Kept")
    response = autosave(owner_client, key, "Changed", local_date="")
    assert response.status_code == 400
    assert "Not saved: Choose the day this entry is about." in response.content.decode()
    assert JournalEntry.objects.get().body == "Kept"


def test_a_draft_key_issued_to_someone_else_saves_nothing(owner_client, owner, stranger, client):
    key = page_draft_key(owner_client)
    autosave(owner_client, key, "Owner's draft")
    client.force_login(stranger)
    response = autosave(client, key, "Overwritten?")
    assert response.status_code == 400
    assert JournalEntry.objects.get().body == "Owner's draft"
    assert not JournalEntry.objects.filter(user=stranger).exists()


def test_an_expired_session_sends_autosave_to_log_in_then_back_to_writing(client, owner):
    response = client.post(URL, {"body": "unsent words"}, headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/accounts/login/?next=/journal/new/autosave/"
    assert b"unsent words" not in response.content
    client.force_login(owner)
    after_login = client.get("/journal/new/autosave/")
    assert after_login.status_code == 302 and after_login["Location"] == "/journal/new/"


def test_after_logging_in_again_an_entrys_autosave_address_leads_back_to_editing(
    owner_client, owner
):
    entry = make_entry(owner)
    response = owner_client.get(f"/journal/{entry.public_id}/autosave/")
    assert response["Location"] == f"/journal/{entry.public_id}/edit/"
