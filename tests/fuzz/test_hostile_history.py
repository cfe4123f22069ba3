"""Hostile CSV files at the history import (Daylio, Bearable, any CSV): never a server
error, never live markup, and either every entry passes the journal's model rules or
nothing at all is written."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from journal.models import JournalEntry
from portability.models import ImportedRow, PendingImport
from tests.fuzz.cases import FUZZ, SignedInCase, everything
from tests.fuzz.hostile import hostile_value

DAYLIO_HEADER = ["full_date", "date", "weekday", "time", "mood", "activities", "note_title", "note"]
BEARABLE_HEADER = [
    "date formatted",
    "date",
    "weekday",
    "time of day",
    "category",
    "rating/amount",
    "detail",
    "notes",
]
sensible = {
    "full_date": st.sampled_from(["2026-11-20", "2026-02-29", "2026-11-24"]),
    "date formatted": st.sampled_from(["2026-11-20", "20 Nov 2026"]),
    "time": st.sampled_from(["21:05", "9:05 PM", "12:00 am", ""]),
    "time of day": st.sampled_from(["am", "pm", "all day", "07:30"]),
    "mood": st.sampled_from(["rad", "good", "meh", "bad", "awful", "Sleepy 😴"]),
    "category": st.sampled_from(["Mood", "Emotions", "Factors", "Notes", "Sleep"]),
    "rating/amount": st.sampled_from(["1", "5", "10", "3.5", ""]),
}


def cell(name: str):
    # Sensible values most of the time where a row needs them, so many files get as
    # far as the import and the hostile values meet the model rules there.
    if name in sensible:
        return st.one_of(sensible[name], sensible[name], sensible[name], hostile_value)
    return hostile_value


def as_csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8", errors="surrogatepass")


class TestHistoryImport(SignedInCase):
    def upload(self, content: bytes, name="history.csv"):
        file = SimpleUploadedFile(name, content, content_type="text/csv")
        return self.client.post("/progress/data/import-history/", {"history-file": file})

    @FUZZ
    @given(st.data())
    def test_history_upload(self, data):
        shape = data.draw(st.sampled_from(["daylio", "bearable", "columns", "bytes"]))
        if shape == "bytes":
            content = data.draw(st.binary(max_size=2000) | st.text(max_size=500).map(str.encode))
        else:
            header = {"daylio": DAYLIO_HEADER, "bearable": BEARABLE_HEADER}.get(
                shape, ["when", "how", "words"]
            )
            rows = data.draw(
                st.lists(
                    st.tuples(*[cell(name) for name in header]).map(list), min_size=1, max_size=4
                )
            )
            content = as_csv(header, rows)
        before = everything(self.owner)
        response = self.upload(content)
        self.assert_handled(response, self.get("/progress/data/"))
        self.assert_explained(response)
        if response.status_code != 302:
            assert response.status_code in (400, 429)
            assert everything(self.owner) == before
            return
        location = response["Location"]
        if PendingImport.objects.get().source == "columns":
            choice = data.draw(st.fixed_dictionaries({"date": st.sampled_from(["0", "1", "9"])}))
            answer = self.client.post(
                location, {"action": "columns", "date_order": "dmy", "note": "2", **choice}
            )
            self.assert_handled(answer)
        preview = self.get(location)
        self.assert_handled(preview)
        held = everything(self.owner)
        moods = data.draw(
            st.dictionaries(st.sampled_from(["mood_0", "mood_1", "mood_2"]), hostile_value)
        )
        answer = self.client.post(location, {"action": "import", **moods})
        self.assert_handled(answer, self.get("/journal/"))
        if answer.status_code == 302 and answer["Location"] == "/journal/":
            for entry in JournalEntry.objects.for_user(self.owner):
                entry.full_clean()
            assert ImportedRow.objects.filter(user=self.owner).count() >= (
                JournalEntry.objects.for_user(self.owner).count()
            )
        else:
            after = everything(self.owner)
            assert {k: v for k, v in after.items() if k != "PendingImport"} == {
                k: v for k, v in held.items() if k != "PendingImport"
            }
