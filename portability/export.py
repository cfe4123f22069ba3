"""A person's own data as a file: complete JSON, and CSV (one file per kind, zipped).

Every row is identified by its `public_id` (written as "id"), so an import can
tell what is already in the account. Relations are written as natural keys:
a practice by its slug, a feeling by its word, a tag by its name.

KINDS lists, for each kind, the model fields written to the file and the
fields deliberately left out; tests/progress/test_export.py checks that the
two together cover every field, so a new field cannot silently go missing.
"""

import csv
import io
import json
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.utils import timezone

from accounts.models import User
from journal.models import (
    FacesRating,
    IntegrationCheckIn,
    JournalEntry,
    NamedEmotion,
    Rupture,
    Tag,
)
from practices.models import PracticeSession
from reminders.models import Delivery, Reminder, ReminderPreferences

FORMAT = "riverwise-export"
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Kind:
    """One kind of row in the file: its name there, its model, its columns."""

    key: str
    label: str
    model: type
    # column in the file -> ORM lookup on the model
    columns: dict[str, str]
    # model fields not written as a column: handled separately, or left out on purpose
    nested: frozenset[str] = field(default_factory=frozenset)
    left_out: frozenset[str] = field(default_factory=frozenset)

    @property
    def fields_covered(self) -> set[str]:
        return {lookup.split("__")[0] for lookup in self.columns.values()} | set(
            self.nested | self.left_out
        )


def _same(*names: str) -> dict[str, str]:
    return {name: name for name in names}


PRACTICE_SESSIONS = Kind(
    "practice_sessions",
    "Practice sessions",
    PracticeSession,
    {
        "id": "public_id",
        "practice": "practice__slug",
        **_same(
            "local_date",
            "started_at",
            "ended_at",
            "stage",
            "completed",
            "logged_manually",
            "seconds_practised",
            "planned_seconds",
            "before_rating",
            "before_emotion",
            "after_rating",
            "notes",
            "parameters",
            "grounding_answers",
            "step",
            "step_began_second",
            "clock_started_at",
            "last_seen_at",
            "request_id",
        ),
    },
    left_out=frozenset({"id", "user"}),
)
JOURNAL_ENTRIES = Kind(
    "journal_entries",
    "Journal entries",
    JournalEntry,
    {
        "id": "public_id",
        **_same(
            "local_date",
            "body",
            "prompt_key",
            "prompt_text",
            "is_draft",
            "created_at",
            "updated_at",
        ),
    },
    nested=frozenset({"tags"}),
    # Entries deleted (and waiting out their undo) are not exported at all.
    left_out=frozenset({"id", "user", "deleted_at"}),
)
NAMED_FEELINGS = Kind(
    "feelings",
    "Feelings named in entries",
    NamedEmotion,
    {
        "id": "public_id",
        "entry": "entry__public_id",
        "word": "emotion__word",
        **_same("intensity", "body_location", "intensity_after", "created_at"),
    },
    # The owner is the entry's owner.
    left_out=frozenset({"id", "user"}),
)
TAGS = Kind("journal_tags", "Tags", Tag, {"name": "name"}, left_out=frozenset({"id", "user"}))
FACES_RATINGS = Kind(
    "faces_ratings",
    "FACES ratings",
    FacesRating,
    {
        "id": "public_id",
        **_same(
            "local_date",
            "flexible",
            "adaptive",
            "coherent",
            "energized",
            "stable",
            "note",
            "created_at",
            "updated_at",
        ),
    },
    left_out=frozenset({"id", "user"}),
)
CHECK_INS = Kind(
    "integration_check_ins",
    "River check-ins",
    IntegrationCheckIn,
    {
        "id": "public_id",
        **_same(
            "local_date",
            "chaos",
            "rigidity",
            "integration_signs",
            "disintegration_signs",
            "note",
            "created_at",
        ),
    },
    left_out=frozenset({"id", "user", "deleted_at"}),
)
RUPTURES = Kind(
    "ruptures",
    "Repair reflections",
    Rupture,
    {
        "id": "public_id",
        **_same(
            "relationship",
            "what_happened",
            "my_part",
            "repair_status",
            "how_it_went",
            "ruptured_on",
            "repaired_on",
            "created_at",
            "updated_at",
        ),
    },
    nested=frozenset({"felt"}),
    left_out=frozenset({"id", "user", "deleted_at"}),
)
REMINDERS = Kind(
    "reminders",
    "Reminders",
    Reminder,
    {
        "id": "public_id",
        **_same("kind", "local_time", "days", "practice_slug", "enabled", "created_at"),
    },
    # The next firing is worked out again from the time, the days and the zone.
    left_out=frozenset({"id", "user", "next_fire_at"}),
)
DELIVERIES = Kind(
    "reminder_deliveries",
    "Reminder emails",
    Delivery,
    {
        "reminder": "reminder__public_id",
        **_same(
            "local_date",
            "scheduled_for",
            "status",
            "attempts",
            "sent_at",
            "last_error",
            "next_attempt_at",
            "created_at",
        ),
    },
    left_out=frozenset({"id"}),
)
REMINDER_PREFERENCES = Kind(
    "reminder_preferences",
    "Reminder settings",
    ReminderPreferences,
    _same("paused_until", "skip_when_done"),
    left_out=frozenset({"id", "user"}),
)
ACCOUNT = Kind(
    "account",
    "Your settings",
    User,
    {
        "id": "public_id",
        **_same("email", "display_name", "timezone", "hide_streaks", "date_joined", "last_login"),
    },
    # Sign-in secrets, staff flags and the cache counter are not the person's content.
    left_out=frozenset(
        {
            "id",
            "password",
            "is_superuser",
            "is_staff",
            "is_active",
            "groups",
            "user_permissions",
            "data_version",
        }
    ),
)

# Kinds written as lists of rows, in the order an import creates them.
ROW_KINDS = (
    PRACTICE_SESSIONS,
    JOURNAL_ENTRIES,
    NAMED_FEELINGS,
    FACES_RATINGS,
    CHECK_INS,
    RUPTURES,
    REMINDERS,
    DELIVERIES,
)
ALL_KINDS = (ACCOUNT, REMINDER_PREFERENCES, TAGS, *ROW_KINDS)


def _rows(queryset, kind: Kind) -> list[dict]:
    lookups = list(kind.columns.values())
    names = list(kind.columns)
    return [
        dict(zip(names, values, strict=True))
        for values in queryset.values_list(*lookups).iterator(chunk_size=2000)
    ]


def _pairs(queryset, *lookups) -> dict:
    grouped: dict = {}
    for key, value in queryset.values_list(*lookups).iterator(chunk_size=2000):
        grouped.setdefault(key, []).append(value)
    return grouped


def export_data(user) -> dict:
    """Everything the person keeps here, as plain data. A fixed number of queries."""
    sessions = PracticeSession.objects.for_user(user).order_by("started_at", "id")
    entries = JournalEntry.objects.for_user(user).order_by("local_date", "created_at", "id")
    ruptures = Rupture.objects.for_user(user).order_by("ruptured_on", "created_at", "id")
    reminders = Reminder.objects.for_user(user).order_by("created_at", "id")

    tags_by_entry = _pairs(
        JournalEntry.tags.through.objects.filter(journalentry__in=entries).order_by("tag__name"),
        "journalentry__public_id",
        "tag__name",
    )
    felt_by_rupture = _pairs(
        Rupture.felt.through.objects.filter(rupture__in=ruptures).order_by("emotionword__word"),
        "rupture__public_id",
        "emotionword__word",
    )
    feelings = NamedEmotion.objects.for_user(user).order_by("created_at", "id")
    feelings_by_entry: dict = {}
    for feeling in _rows(feelings, NAMED_FEELINGS):
        feelings_by_entry.setdefault(feeling.pop("entry"), []).append(feeling)

    journal_entries = _rows(entries, JOURNAL_ENTRIES)
    for entry in journal_entries:
        entry["tags"] = tags_by_entry.get(entry["id"], [])
        entry["feelings"] = feelings_by_entry.get(entry["id"], [])
    rupture_rows = _rows(ruptures, RUPTURES)
    for rupture in rupture_rows:
        rupture["felt"] = felt_by_rupture.get(rupture["id"], [])

    preferences = ReminderPreferences.for_user(user)
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "exported_at": timezone.now(),
        "account": {name: getattr(user, lookup) for name, lookup in ACCOUNT.columns.items()},
        "reminder_preferences": {
            name: getattr(preferences, name) for name in REMINDER_PREFERENCES.columns
        },
        "journal_tags": list(
            Tag.objects.for_user(user).order_by("name").values_list("name", flat=True)
        ),
        PRACTICE_SESSIONS.key: _rows(sessions, PRACTICE_SESSIONS),
        JOURNAL_ENTRIES.key: journal_entries,
        FACES_RATINGS.key: _rows(
            FacesRating.objects.for_user(user).order_by("local_date"), FACES_RATINGS
        ),
        CHECK_INS.key: _rows(
            IntegrationCheckIn.objects.for_user(user).order_by("local_date", "created_at", "id"),
            CHECK_INS,
        ),
        RUPTURES.key: rupture_rows,
        REMINDERS.key: _rows(reminders, REMINDERS),
        DELIVERIES.key: _rows(
            Delivery.objects.for_user(user).order_by("scheduled_for", "id"), DELIVERIES
        ),
    }


def _plain(value):
    """JSON for dates, times and ids, keeping full precision (microseconds too)."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def export_json(user) -> bytes:
    return json.dumps(export_data(user), default=_plain, ensure_ascii=False, indent=1).encode()


# CSV -------------------------------------------------------------------------

# A spreadsheet treats a cell starting with one of these as a formula, and some
# read past leading blanks (spaces, tabs, line breaks) and full-width forms
# first. Following OWASP's advice on CSV injection, such text is written with a
# leading apostrophe, so opening the file can never run anything. (The JSON
# file keeps the text exactly.)
FORMULA_CHARACTERS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")  # and ＝ ＋ － ＠
BLANK_STARTS = ("\t", "\r", "\n")


def spreadsheet_safe(text: str) -> str:
    """The text as a cell no spreadsheet will read as a formula."""
    if text.startswith(BLANK_STARTS) or text.lstrip()[:1] in FORMULA_CHARACTERS:
        return "'" + text
    return text


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        value = "; ".join(value)
    elif isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    elif not isinstance(value, str):
        return (
            _plain(value) if isinstance(value, datetime | date | time | uuid.UUID) else str(value)
        )
    return spreadsheet_safe(value)


def _csv(rows: list[dict], columns: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
    return out.getvalue()


def export_csv_zip(user) -> bytes:
    """The same data as spreadsheets: one CSV per kind, in one zip file."""
    data = export_data(user)
    feelings = [
        {"entry": entry["id"], **feeling}
        for entry in data[JOURNAL_ENTRIES.key]
        for feeling in entry["feelings"]
    ]
    files = {
        "account.csv": _csv(
            [{**data["account"], **data["reminder_preferences"]}],
            [*ACCOUNT.columns, *REMINDER_PREFERENCES.columns],
        ),
        "practice_sessions.csv": _csv(data[PRACTICE_SESSIONS.key], [*PRACTICE_SESSIONS.columns]),
        "journal_entries.csv": _csv(data[JOURNAL_ENTRIES.key], [*JOURNAL_ENTRIES.columns, "tags"]),
        "feelings.csv": _csv(feelings, [*NAMED_FEELINGS.columns]),
        "journal_tags.csv": _csv([{"name": name} for name in data["journal_tags"]], ["name"]),
        "faces_ratings.csv": _csv(data[FACES_RATINGS.key], [*FACES_RATINGS.columns]),
        "integration_check_ins.csv": _csv(data[CHECK_INS.key], [*CHECK_INS.columns]),
        "ruptures.csv": _csv(data[RUPTURES.key], [*RUPTURES.columns, "felt"]),
        "reminders.csv": _csv(data[REMINDERS.key], [*REMINDERS.columns]),
        "reminder_deliveries.csv": _csv(data[DELIVERIES.key], [*DELIVERIES.columns]),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            # A byte-order mark lets spreadsheet programs read the UTF-8 correctly.
            archive.writestr(f"riverwise/{name}", "\ufeff" + text)
    return buffer.getvalue()


def export_file_name(user, extension: str) -> str:
    return f"riverwise-{user.local_today():%Y-%m-%d}.{extension}"
