"""Every place a person's own words are kept, with a way to write a word there."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from journal.models import FacesRating, IntegrationCheckIn, JournalEntry, Rupture, Tag, WindowMap
from portability.models import PendingImport
from practices.models import PracticeSession
from tests.journal.factories import make_check_in, make_entry, make_faces, make_rupture
from tests.progress.factories import make_session
from vault.blind_index import stems_of


@dataclass(frozen=True)
class Place:
    name: str
    model: Any  # a model class with `objects`
    field: str
    write: Callable  # (user, word) -> row
    search_kind: str = ""  # found by the journal search
    exported: bool = True
    setting: bool = False  # brought back by an import only when asked to restore settings

    def __str__(self) -> str:
        return self.name

    def read(self, row) -> str:
        return str(getattr(self.model.objects.get(pk=row.pk), self.field))


def _tag(user, word):
    make_entry(user, "An entry with a tag", tags=[f"{word} walks"])
    return Tag.objects.get(user=user)


def _window_sign(side: str):
    def write(user, word):
        # One map per person: a second side joins the first.
        return WindowMap.objects.update_or_create(user=user, defaults={side: ["tense", word]})[0]

    return write


def _session_with_answers(user, word):
    session = make_session(user, date(2026, 3, 9))
    session.grounding_answers = {"see": [f"a {word} on the sill"]}
    session.save()
    return session


def _session_with_before_word(user, word):
    session = make_session(user, date(2026, 3, 9))
    session.before_emotion = word
    session.save()
    return session


PLACES = [
    Place("entry", JournalEntry, "body", lambda u, w: make_entry(u, f"By the {w} today"), "entry"),
    Place(
        "draft",
        JournalEntry,
        "body",
        lambda u, w: make_entry(u, f"Half a thought of {w}", is_draft=True),
        "entry",
    ),
    Place(
        "session note",
        PracticeSession,
        "notes",
        lambda u, w: make_session(u, date(2026, 3, 9), notes=f"Felt {w} after"),
    ),
    Place("grounding answers", PracticeSession, "grounding_answers", _session_with_answers),
    Place("before-word", PracticeSession, "before_emotion", _session_with_before_word),
    Place("FACES note", FacesRating, "note", lambda u, w: make_faces(u, note=f"{w} day"), "faces"),
    Place(
        "check-in note",
        IntegrationCheckIn,
        "note",
        lambda u, w: make_check_in(u, note=f"Rather {w}"),
        "checkin",
    ),
    Place(
        "what happened",
        Rupture,
        "what_happened",
        lambda u, w: make_rupture(u, what_happened=f"We {w} again"),
        "rupture",
    ),
    Place("my part", Rupture, "my_part", lambda u, w: make_rupture(u, my_part=f"I {w}"), "rupture"),
    Place(
        "how repair went",
        Rupture,
        "how_it_went",
        lambda u, w: make_rupture(u, how_it_went=f"Slow {w}"),
        "rupture",
    ),
    Place(
        "relationship",
        Rupture,
        "relationship",
        lambda u, w: make_rupture(u, relationship=f"my {w} friend"),
        "rupture",
    ),
    Place("tag name", Tag, "name", _tag),
    Place(
        "sign above the window",
        WindowMap,
        "above_signs",
        _window_sign("above_signs"),
        setting=True,
    ),
    Place(
        "sign below the window",
        WindowMap,
        "below_signs",
        _window_sign("below_signs"),
        setting=True,
    ),
    Place(
        "pending import",
        PendingImport,
        "payload",
        lambda u, w: PendingImport.objects.hold(u, "mine.json", {"journal": [{"body": w}]}),
        exported=False,
    ),
]


def unique_word(n: int = 0) -> str:
    # Made-up words with an ending the stemmer trims, so the stem is checked too.
    return f"{'abcdefghijklmnop'[n]}quorbleflinging"


def stem(word: str) -> str:
    (only,) = stems_of(word)
    return only
