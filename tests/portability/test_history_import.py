"""Bringing history from Daylio, Bearable and any CSV: preview first, moods mapped
to feelings, all or nothing, and the same file twice adds nothing."""

import re
from datetime import UTC, date, datetime
from html import unescape
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from journal.models import JournalEntry, NamedEmotion, Tag
from portability.models import ImportedRow, PendingImport
from tests.journal.factories import entry_whose_words

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files"
UPLOAD_URL = "/progress/data/import-history/"
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def frozen_today(time_machine):
    time_machine.move_to(datetime(2026, 11, 24, 15, 0, tzinfo=UTC), tick=False)


def upload(client, content: bytes | str, name="daylio_export.csv"):
    if isinstance(content, str):
        content = (FILES / content).read_bytes()
    file = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(UPLOAD_URL, {"history-file": file})


def text(response) -> str:
    return unescape(response.content.decode())


def counts(user) -> dict:
    return {
        "entries": JournalEntry.objects.for_user(user).count(),
        "feelings": NamedEmotion.objects.for_user(user).count(),
        "tags": Tag.objects.for_user(user).count(),
        "rows": ImportedRow.objects.filter(user=user).count(),
    }


def mood_fields(client, location) -> dict[str, str]:
    """Each mood in the preview (as written in the file) -> the name of its field."""
    html = text(client.get(location))
    return {
        label: name for name, label in re.findall(r'for="id_(mood_\d+)">“([^”]+)” becomes', html)
    }


def confirm(client, location, **moods):
    """Press Import, keeping each mood's preselected feeling unless given another."""
    html = client.get(location).content.decode()
    data = {"action": "import", **moods}
    for name, value in re.findall(
        r'<select name="(mood_\d+)"[^>]*>.*?<option value="([^"]*)"[^>]*selected', html, flags=re.S
    ):
        data.setdefault(name, value)
    return client.post(location, data)


def test_a_daylio_file_is_previewed_with_its_moods_as_feelings_before_anything_is_added(
    owner_client, owner
):
    response = upload(owner_client, "daylio.csv")
    pending = PendingImport.objects.get(user=owner)
    assert response.status_code == 302
    assert response["Location"] == f"/progress/data/import-history/{pending.public_id}/"
    assert pending.source == "daylio"
    assert counts(owner) == {"entries": 0, "feelings": 0, "tags": 0, "rows": 0}

    preview = owner_client.get(response["Location"])
    html = text(preview)
    assert preview.status_code == 200
    assert "5 journal entries" in html
    assert "from 19 November 2026 to 22 November 2026" in html
    # Daylio's moods with their default feelings and quadrants; a custom mood by its words.
    assert "“rad” becomes" in html and "Now: joyful, high energy, pleasant." in html
    assert "“meh” becomes" in html and "Now: listless, low energy, unpleasant." in html
    assert "“awful” becomes" in html and "Now: miserable, low energy, unpleasant." in html
    assert "“super tired” becomes" in html and "Now: tired, low energy, unpleasant." in html
    assert "Import 5 entries" in html
    assert "no-store" in preview["Cache-Control"]
    assert counts(owner) == {"entries": 0, "feelings": 0, "tags": 0, "rows": 0}


def test_confirming_adds_entries_with_feelings_tags_notes_and_local_times(owner_client, owner):
    location = upload(owner_client, "daylio.csv")["Location"]
    response = confirm(owner_client, location)
    assert response.status_code == 302
    assert response["Location"] == "/journal/"
    assert counts(owner) == {"entries": 5, "feelings": 5, "tags": 7, "rows": 5}
    assert not PendingImport.objects.filter(user=owner).exists()

    dinner = entry_whose_words(owner, str.startswith, "Dinner")
    assert dinner.body == "Dinner, finally\n\nWe cooked for Ana and Tom, laughed a lot. 🌿"
    assert dinner.local_date == date(2026, 11, 22)
    assert dinner.created_at.astimezone(BERLIN).strftime("%H:%M") == "21:40"
    assert sorted(dinner.tag_names) == ["cooking", "friends", "walk by the river"]
    assert [n.emotion.word for n in dinner.named_emotions.all()] == ["joyful"]
    assert dinner.named_emotions.get().intensity == 4
    assert not dinner.is_draft

    long_week = entry_whose_words(owner, str.startswith, "A long week")
    assert long_week.body == (
        'A long week\n\nLine one of the note\nand a second line, with "quotes" in it.'
    )
    # An empty note and no activities still make an entry, holding the feeling.
    quiet = entry_whose_words(owner, str.__eq__, "", local_date=date(2026, 11, 22))
    assert [n.emotion.word for n in quiet.named_emotions.all()] == ["listless"]

    journal = text(owner_client.get("/journal/"))
    assert "Imported 5 journal entries from your file." in journal
    assert "Dinner, finally" in journal
    # Imported entries are sealed like any other, and search finds them by their words.
    found = text(owner_client.get("/journal/search/?q=laughed"))
    assert "Dinner, finally" in found and "A long week" not in found
    # The Activity page says what came in, and from where.
    recorded = text(owner_client.get("/accounts/activity/"))
    assert "Imported data: 5 new items, from Daylio" in recorded


def test_importing_the_same_file_twice_adds_nothing(owner_client, owner):
    confirm(owner_client, upload(owner_client, "daylio.csv")["Location"])
    after_first = counts(owner)
    location = upload(owner_client, "daylio.csv")["Location"]
    preview = text(owner_client.get(location))
    assert "Everything in this file is already in your journal." in preview
    assert "5 rows you imported before are skipped." in preview
    response = confirm(owner_client, location)
    assert response.status_code == 302
    assert counts(owner) == after_first


def test_a_file_with_one_new_row_adds_only_that_row(owner_client, owner):
    confirm(owner_client, upload(owner_client, "daylio.csv")["Location"])
    grown = (
        (FILES / "daylio.csv")
        .read_bytes()
        .decode()
        .replace(
            "full_date,date,weekday,time,mood,activities,note_title,note\r\n",
            "full_date,date,weekday,time,mood,activities,note_title,note\r\n"
            "2026-11-23,November 23,Monday,18:00,good,walk,,New day\r\n",
        )
    )
    location = upload(owner_client, grown.encode())["Location"]
    assert "1 journal entry" in text(owner_client.get(location))
    confirm(owner_client, location)
    assert counts(owner)["entries"] == 6


def test_the_person_can_map_a_mood_to_another_feeling(owner_client, owner):
    location = upload(owner_client, "daylio.csv")["Location"]
    rad = mood_fields(owner_client, location)["rad"]
    # Update the preview with "grateful" for rad, then import.
    owner_client.post(location, {"action": "preview", rad: "grateful"})
    assert "Now: grateful, low energy, pleasant." in text(owner_client.get(location))
    confirm(owner_client, location)
    dinner = entry_whose_words(owner, str.startswith, "Dinner")
    assert [n.emotion.word for n in dinner.named_emotions.all()] == ["grateful"]


def test_a_mood_mapped_to_no_feeling_keeps_the_entry_without_one(owner_client, owner):
    location = upload(owner_client, "daylio.csv")["Location"]
    confirm(owner_client, location, **{mood_fields(owner_client, location)["awful"]: ""})
    woke = entry_whose_words(owner, str.startswith, "Woke")
    assert not woke.named_emotions.exists()
    assert counts(owner)["entries"] == 5


def test_a_feeling_that_isnt_ours_is_refused_and_nothing_is_written(owner_client, owner):
    location = upload(owner_client, "daylio.csv")["Location"]
    rad = mood_fields(owner_client, location)["rad"]
    response = owner_client.post(location, {"action": "import", rad: "smug"})
    assert response.status_code == 400
    assert "Select a valid choice." in text(response)
    assert counts(owner)["entries"] == 0


def test_the_old_daylio_file_with_12_hour_times_and_a_bom_is_read_across_dst(owner_client, owner):
    location = upload(owner_client, "daylio_old_12h.csv")["Location"]
    assert PendingImport.objects.get(user=owner).source == "daylio"
    confirm(owner_client, location)
    entries = {
        (e.local_date, e.created_at.astimezone(BERLIN).strftime("%H:%M")): e
        for e in JournalEntry.objects.for_user(owner)
    }
    # 21:05 from "9:05 PM", 12:15 from "12:15 pm".
    assert (date(2026, 10, 24), "21:05") in entries
    assert (date(2026, 10, 24), "12:15") in entries
    # 02:30 on the night clocks go back happens twice: the first one is taken.
    back = next(e for (day, _), e in entries.items() if day == date(2026, 10, 25))
    assert back.created_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    # 02:30 on the night clocks go forward never happens: the entry keeps its day.
    gap = next(e for (day, _), e in entries.items() if day == date(2026, 3, 29))
    assert gap.created_at.astimezone(BERLIN).date() == date(2026, 3, 29)
    # Daylio separates activities with " | ": a comma stays inside one.
    assert entries[(date(2026, 10, 24), "12:15")].tag_names == ["hike, then a swim"]
    film = entries[(date(2026, 10, 24), "21:05")]
    assert film.body == "Film night 🎬" and sorted(film.tag_names) == ["family", "movies"]


def test_a_bearable_file_makes_one_entry_per_day_and_time_of_day(owner_client, owner):
    response = upload(owner_client, "bearable.csv", name="bearable-export.csv")
    location = response["Location"]
    assert PendingImport.objects.get(user=owner).source == "bearable"
    html = text(owner_client.get(location))
    assert "3 journal entries" in html
    assert "“Mood 4” becomes" in html and "Now: content" in html
    assert "“Anxious” becomes" in html and "Now: anxious, high energy, unpleasant." in html
    confirm(owner_client, location)
    morning = entry_whose_words(owner, str.__eq__, "Sleep: (7.5)")
    assert morning.created_at.astimezone(BERLIN).strftime("%H:%M") == "09:00"
    assert sorted(morning.tag_names) == ["Coffee", "Meditation"]
    assert sorted(n.emotion.word for n in morning.named_emotions.all()) == ["anxious", "content"]
    evening = entry_whose_words(owner, str.__contains__, "Headache all afternoon")
    # Readings and notes keep the file's order.
    assert evening.body == "Headache all afternoon, rested.\nSymptoms: Headache (2)"
    assert [n.emotion.word for n in evening.named_emotions.all()] == ["down"]
    quiet = JournalEntry.objects.for_user(owner).get(local_date=date(2026, 11, 17))
    assert quiet.body == "A quiet day, by myself.\nEnergy: (3)"
    assert counts(owner)["rows"] == 9
    # Twice adds nothing.
    confirm(owner_client, upload(owner_client, "bearable.csv")["Location"])
    assert counts(owner)["entries"] == 3


def test_any_csv_is_imported_once_its_columns_are_chosen(owner_client, owner):
    location = upload(owner_client, "spreadsheet.csv", name="mood diary.csv")["Location"]
    assert PendingImport.objects.get(user=owner).source == "columns"
    first = text(owner_client.get(location))
    assert "Which column holds what?" in first
    assert "Import" not in re.sub(r"Nothing is added until you choose Import", "", first)
    response = owner_client.post(
        location,
        {
            "action": "columns",
            "date": "0",
            "date_order": "dmy",
            "mood": "1",
            "tags": "2",
            "note": "3",
            "time": "",
        },
    )
    assert response.status_code == 302
    html = text(owner_client.get(location))
    assert "2 journal entries" in html
    assert "“calm” becomes" in html and "Now: calm, low energy, pleasant." in html
    assert "“Grumpy” becomes" in html and "Now: no feeling" in html
    confirm(owner_client, location)
    planted = JournalEntry.objects.for_user(owner).get(local_date=date(2026, 11, 3))
    assert planted.body == "Planted bulbs; cold hands."
    assert sorted(planted.tag_names) == ["garden", "tea"]
    assert planted.created_at.astimezone(BERLIN).strftime("%H:%M") == "12:00"
    assert JournalEntry.objects.for_user(owner).get(local_date=date(2026, 11, 4)).body == ""


def test_one_column_cant_be_two_things(owner_client, owner):
    location = upload(owner_client, "spreadsheet.csv")["Location"]
    response = owner_client.post(
        location, {"action": "columns", "date": "0", "date_order": "dmy", "note": "0"}
    )
    assert response.status_code == 400
    assert "Each column can be used for one thing only." in text(response)


def test_one_bad_row_means_nothing_is_written_and_the_page_says_which_and_why(owner_client, owner):
    response = upload(owner_client, "daylio_bad_rows.csv")
    html = text(response)
    assert response.status_code == 400
    assert "Some rows in this file can't become journal entries, so nothing was imported." in html
    assert "Row 4: “25:99” isn't a time we can read." in html
    assert "Row 3 (30 December 2026), date: That day hasn't come yet where you are." in html
    assert not PendingImport.objects.filter(user=owner).exists()
    assert counts(owner) == {"entries": 0, "feelings": 0, "tags": 0, "rows": 0}


def test_a_row_with_more_tags_than_an_entry_holds_is_refused_by_name(owner_client, owner):
    activities = " | ".join(f"thing {n}" for n in range(13))
    content = (
        "full_date,date,weekday,time,mood,activities,note_title,note\n"
        f"2026-11-20,November 20,Friday,10:00,good,{activities},,\n"
        f"2026-11-21,November 21,Saturday,10:00,good,{'x' * 41},,\n"
    )
    html = text(upload(owner_client, content.encode()))
    assert "Row 2 (20 November 2026), tags: It has 13 activities or tags" in html
    assert "Row 3 (21 November 2026), tags: “" in html
    assert "at most 40 characters" in html
    assert counts(owner)["entries"] == 0


def test_a_row_that_turned_bad_since_the_preview_writes_nothing_at_confirm(owner_client, owner):
    location = upload(owner_client, "daylio.csv")["Location"]
    pending = PendingImport.objects.get(user=owner)
    rows = pending.payload["rows"]
    rows[-1][1][0] = "2027-01-01"  # a day not yet come
    pending.save(update_fields=["payload"])
    response = confirm(owner_client, location)
    assert response.status_code == 400
    assert "nothing was imported" in text(response)
    assert counts(owner) == {"entries": 0, "feelings": 0, "tags": 0, "rows": 0}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The submitted file is empty."),
        (b'{"format": "riverwise-export"}', "Use “Import a copy” above for it."),
        (b"PK\x03\x04zipzip", "This is a zip file."),
        ("full_date,note\n2026-11-20,caf\xe9\n".encode("latin-1"), "save it again as “CSV UTF-8”"),
        (b'full_date,note\n2026-11-20,"never closed\n', "a quote is opened and never closed"),
        (b"full_date,note\n2026-11-20,a,b\n", "Row 2 has 3 cells, but the header names 2"),
        (b"full_date,note\n", "This file has a header but no rows."),
    ],
)
def test_files_we_cant_read_are_refused_in_words(owner_client, owner, content, message):
    response = upload(owner_client, content)
    assert response.status_code == 400
    assert message in text(response)
    assert not PendingImport.objects.filter(user=owner).exists()


def test_utf16_from_excel_with_tabs_is_read(owner_client, owner):
    content = "Date\tMood\tNote\n2026-11-20\tcalm\tTea with Mum, finally\n".encode("utf-16")
    location = upload(owner_client, content)["Location"]
    owner_client.post(
        location,
        {"action": "columns", "date": "0", "date_order": "ymd", "mood": "1", "note": "2"},
    )
    confirm(owner_client, location)
    assert JournalEntry.objects.for_user(owner).get().body == "Tea with Mum, finally"


def test_too_many_rows_is_a_clear_400(owner_client, owner, monkeypatch):
    monkeypatch.setattr("portability.csv_reading.CSV_MAX_ROWS", 3)
    response = upload(owner_client, "daylio.csv")
    assert response.status_code == 400
    assert "This file has more than 3 rows" in text(response)


def test_a_file_too_large_is_a_clear_400(owner_client, owner, monkeypatch):
    monkeypatch.setattr("portability.csv_reading.IMPORT_MAX_BYTES", 100)
    response = upload(owner_client, "daylio.csv")
    assert response.status_code == 400
    assert "the most we can import at once is 0.0 MB" in text(response)


def test_someone_elses_pending_import_is_a_404_and_changes_nothing(
    client, owner, stranger, owner_client
):
    location = upload(owner_client, "daylio.csv")["Location"]
    pending = PendingImport.objects.get(user=owner)
    client.force_login(stranger)
    assert client.get(location).status_code == 404
    assert client.post(location, {"action": "import"}).status_code == 404
    assert client.post(location, {"action": "preview", "mood_0": "sad"}).status_code == 404
    cancel = f"/progress/data/import/{pending.public_id}/cancel/"
    assert client.post(cancel).status_code == 404
    pending.refresh_from_db()
    assert pending.payload.get("moods") is None
    assert counts(owner)["entries"] == 0 and counts(stranger)["entries"] == 0


def test_a_history_upload_is_not_shown_at_the_json_import_address(owner_client, owner):
    upload(owner_client, "daylio.csv")
    pending = PendingImport.objects.get(user=owner)
    assert owner_client.get(f"/progress/data/import/{pending.public_id}/").status_code == 404


def test_cancel_forgets_the_file(owner_client, owner):
    upload(owner_client, "daylio.csv")
    pending = PendingImport.objects.get(user=owner)
    owner_client.post(f"/progress/data/import/{pending.public_id}/cancel/")
    assert not PendingImport.objects.filter(user=owner).exists()


def test_fingerprints_hold_none_of_the_rows_words(owner_client, owner):
    confirm(owner_client, upload(owner_client, "daylio.csv")["Location"])
    for row in ImportedRow.objects.filter(user=owner):
        assert re.fullmatch(r"[0-9a-f]{64}", row.fingerprint)


def test_the_same_file_from_another_account_is_new_there(owner_client, owner, client, stranger):
    confirm(owner_client, upload(owner_client, "daylio.csv")["Location"])
    client.force_login(stranger)
    location = upload(client, "daylio.csv")["Location"]
    assert "5 journal entries" in text(client.get(location))


def daylio_rows(count: int) -> bytes:
    lines = ["full_date,date,weekday,time,mood,activities,note_title,note"]
    for n in range(count):
        day = date(2026, 11, 20).toordinal() - n // 3
        lines.append(
            f"{date.fromordinal(day)},,,{8 + n % 3 * 5}:0{n % 10},{['rad', 'meh', 'bad'][n % 3]},"
            f"walk | tea {n % 7},,Note {n}"
        )
    return "\n".join(lines).encode()


@pytest.mark.parametrize("rows", [5, 300])
def test_previewing_and_importing_take_the_same_few_queries_for_any_number_of_rows(
    owner_client, owner, rows, django_assert_max_num_queries
):
    location = upload(owner_client, daylio_rows(rows))["Location"]
    # Session, user, the signed-in device's check, the pending import, its owner's
    # data key (the file waits sealed), the vocabulary, the account's rows.
    with django_assert_max_num_queries(7):
        assert owner_client.get(location).status_code == 200
    data = {"action": "import", **mood_fields_selected(owner_client, location)}
    # The same for 5 rows or 300: with the device check, the data key and one insert
    # of the rows' search tokens on top of the rows themselves.
    with django_assert_max_num_queries(30):
        assert owner_client.post(location, data).status_code == 302
    assert counts(owner)["entries"] == rows


def mood_fields_selected(client, location) -> dict[str, str]:
    html = client.get(location).content.decode()
    return dict(
        re.findall(
            r'<select name="(mood_\d+)"[^>]*>.*?<option value="([^"]*)"[^>]*selected',
            html,
            flags=re.S,
        )
    )


def test_a_history_upload_takes_one_of_the_hours_upload_turns(owner_client, owner):
    from portability.models import IMPORTS_PER_HOUR

    for _ in range(IMPORTS_PER_HOUR):
        upload(owner_client, b"")
    response = upload(owner_client, "daylio.csv")
    assert response.status_code == 429
    assert "Retry-After" in response
    assert not PendingImport.objects.filter(user=owner).exists()


def test_the_history_upload_takes_files_as_large_as_the_json_import():
    from ipnb_site.middleware import MULTIPART_ALLOWANCE, request_body_limit
    from portability.reading import IMPORT_MAX_BYTES

    limit = request_body_limit(UPLOAD_URL)
    assert limit.most_bytes == IMPORT_MAX_BYTES + MULTIPART_ALLOWANCE and limit.is_file
    # Its preview takes an ordinary form's body.
    assert request_body_limit(f"{UPLOAD_URL}{'0' * 8}-0000-0000-0000-{'0' * 12}/").most_bytes < (
        IMPORT_MAX_BYTES
    )


def test_two_previews_of_one_file_confirmed_one_after_the_other_add_it_once(owner_client, owner):
    first = upload(owner_client, "daylio.csv")["Location"]
    second = upload(owner_client, "daylio.csv")["Location"]
    confirm(owner_client, first)
    # The second was previewed before the first landed; confirming checks again.
    response = confirm(owner_client, second)
    assert response.status_code == 302
    assert counts(owner) == {"entries": 5, "feelings": 5, "tags": 7, "rows": 5}


def test_a_mood_column_that_holds_notes_is_named_as_the_likely_mistake(owner_client, owner):
    rows = "\n".join(
        f"{date.fromordinal(date(2026, 9, 1).toordinal() + n)},A note number {n} about the day"
        for n in range(60)
    )
    location = upload(owner_client, f"Day,Words\n{rows}\n".encode())["Location"]
    response = owner_client.post(
        location, {"action": "columns", "date": "0", "date_order": "ymd", "mood": "1"}
    )
    html = text(owner_client.get(response["Location"]))
    assert "This file has more than 50 different moods. Is the mood in the right column?" in html
    assert "becomes" not in html
    assert counts(owner)["entries"] == 0


def test_a_mood_longer_than_a_mood_is_refused_by_row(owner_client, owner):
    content = (
        "full_date,date,weekday,time,mood,activities,note_title,note\n"
        f"2026-11-20,November 20,Friday,10:00,{'very ' * 20}good,,,\n"
    )
    response = upload(owner_client, content.encode())
    assert response.status_code == 400
    assert "Row 2 (20 November 2026): the mood “very very" in text(response)
    assert "is longer than 60 characters. Is the mood in the right column?" in text(response)
