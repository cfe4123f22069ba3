"""Other apps' history as journal entries: Daylio's CSV export, Bearable's CSV
export, and any CSV whose columns the person names.

Each row becomes (part of) a journal entry: its mood a named feeling, its
activities tags, its note the entry's words, dated by the file's own date and
time in the person's zone. The person sees the plan first and may map each
mood to another feeling. Nothing is written unless every row passes the
journal's own model rules; a row imported once is remembered by a keyed hash
(ImportedRow), so the same file imported again adds nothing.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.crypto import salted_hmac

from journal.forms import MAX_TAGS
from journal.models import EmotionWord, JournalEntry, NamedEmotion, Tag
from portability.applying import _create_keeping_times
from portability.csv_reading import CsvTable
from portability.models import ImportedRow, ImportSource
from portability.reading import ImportProblem
from vault.blind_index import index_new_rows

# Daylio's five moods, and the feeling each becomes unless the person picks another.
DAYLIO_MOODS: dict[str, tuple[str, int]] = {
    "rad": ("joyful", 4),
    "good": ("content", 3),
    "meh": ("listless", 2),
    "bad": ("down", 3),
    "awful": ("miserable", 4),
}
# A rating on a 1-5 scale read as Daylio's moods, from awful to rad.
RATING_MOODS = ("awful", "bad", "meh", "good", "rad")
DEFAULT_INTENSITY = 3
# An entry with no time of its own is put at noon, away from any DST change.
NO_TIME = time(12)
# A time of day in words (Bearable), as a clock time for the entry.
PARTS_OF_DAY = {
    "am": time(9),
    "morning": time(9),
    "mid": time(13),
    "midday": time(13),
    "afternoon": time(15),
    "pm": time(19),
    "evening": time(19),
    "night": time(22),
    "all day": NO_TIME,
}
DATE_ORDERS = {"ymd": "year-month-day", "dmy": "day/month/year", "mdy": "month/day/year"}
# Bearable's categories, by what they become.
MOOD_CATEGORIES = {"mood"}
FEELING_CATEGORIES = {"emotion", "emotions"}
TAG_CATEGORIES = {"factor", "factors", "activity", "activities", "habit", "habits"}
NOTE_CATEGORIES = {"note", "notes", "journal"}
FIELD_WORDS = {"local_date": "date", "body": "note", "name": "tag", "intensity": "strength"}
# A mood is a word or two; more, or longer, means a wrong column (and a page of selects).
MOOD_MAX_LENGTH = 60
MOST_MOODS = 50


@dataclass
class ComingEntry:
    """One journal entry an import would add, with the file rows it comes from."""

    rows: list[int]
    fingerprints: list[str]
    local_date: date | None = None
    local_time: time | None = None
    moods: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    body: str = ""
    instance: Any = None
    feelings: list[tuple[EmotionWord, int]] = field(default_factory=list)

    @property
    def where(self) -> str:
        rows = (
            f"Row {self.rows[0]}" if len(self.rows) == 1 else f"Rows {self.rows[0]}–{self.rows[-1]}"
        )
        return f"{rows} ({self.local_date:%-d %B %Y})" if self.local_date else rows


@dataclass
class HistoryPlan:
    source: str
    new: list[ComingEntry]
    rows_already_here: int
    problems: list[str]
    # Each mood in the file: (its name as written, the feeling it becomes, how strong).
    moods: list[tuple[str, EmotionWord | None, int]]

    @property
    def first_day(self) -> date | None:
        return min((e.local_date for e in self.new if e.local_date), default=None)

    @property
    def last_day(self) -> date | None:
        return max((e.local_date for e in self.new if e.local_date), default=None)


# Reading the rows --------------------------------------------------------------------


def fingerprint(user, source: str, cells: list[str]) -> str:
    """A keyed hash of a row: recognisable again, but holding none of its words."""
    identity = "\x1f".join([str(user.pk), source, *(cell.strip() for cell in cells)])
    return salted_hmac("portability.imported-row", identity, algorithm="sha256").hexdigest()


def parse_date(text: str, order: str = "ymd") -> date | None:
    text = text.strip()
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?", text)
    numbers = re.fullmatch(r"(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})", text)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if numbers:
            first, second, third = (int(part) for part in numbers.groups())
            if order == "dmy":
                return date(third, second, first)
            if order == "mdy":
                return date(third, first, second)
            return date(first, second, third)
    except ValueError:
        return None
    for pattern in ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%d %b, %Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def parse_time(text: str) -> time | None:
    """A clock time, 24-hour or 12-hour with AM/PM ("9:05 PM", "9:05 p.m.")."""
    text = re.sub(r"\s+", " ", text.strip().lower().replace(".", ""))
    if text in PARTS_OF_DAY:
        return PARTS_OF_DAY[text]
    for pattern in ("%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M:%S %p", "%I:%M%p", "%I %p", "%I%p"):
        try:
            return datetime.strptime(text, pattern).time()
        except ValueError:
            continue
    return None


def _names(text: str, separator: str | None = None) -> list[str]:
    """Activities or tags in one cell: Daylio and Bearable write "a | b" (a name may hold
    a comma); a spreadsheet often "a, b"."""
    separator = separator or ("|" if "|" in text else ",")
    return list(dict.fromkeys(name.strip() for name in text.split(separator) if name.strip()))


def _paragraphs(*texts: str) -> str:
    return "\n\n".join(text.strip() for text in texts if text.strip())


class RowProblems(list):
    def add(self, number: int, message: str) -> None:
        self.append(f"Row {number}: {message}")


def _date_and_time(cells, number, problems, date_at, time_at, order="ymd"):
    day = parse_date(cells[date_at], order)
    if day is None:
        problems.add(number, f"“{cells[date_at].strip()}” isn't a date we can read.")
    moment = None
    if time_at is not None and cells[time_at].strip():
        moment = parse_time(cells[time_at])
        if moment is None:
            problems.add(number, f"“{cells[time_at].strip()}” isn't a time we can read.")
    return day, moment


def daylio_entries(table: CsvTable, rows, fingerprints) -> tuple[list[ComingEntry], list[str]]:
    at = {name: index for index, name in enumerate(table.names)}
    problems = RowProblems()
    entries = []
    for number, cells in rows:
        day, moment = _date_and_time(cells, number, problems, at["full_date"], at["time"])
        title = cells[at["note_title"]] if "note_title" in at else ""
        mood = cells[at["mood"]].strip()
        entries.append(
            ComingEntry(
                rows=[number],
                fingerprints=[fingerprints[number]],
                local_date=day,
                local_time=moment,
                moods=[mood] if mood else [],
                tags=_names(cells[at["activities"]], "|"),
                body=_paragraphs(title, cells[at["note"]]),
            )
        )
    return entries, problems


def bearable_entries(table: CsvTable, rows, fingerprints) -> tuple[list[ComingEntry], list[str]]:
    """Bearable writes one row per reading; the readings of one date and time of day
    make one entry."""
    at = {name: index for index, name in enumerate(table.names)}
    date_at = at.get("date formatted", at.get("date"))
    time_at = at.get("time of day")
    notes_at = at.get("notes")
    problems = RowProblems()
    groups: dict[tuple, ComingEntry] = {}
    lines: dict[tuple, list[str]] = {}
    for number, cells in rows:
        day, moment = _date_and_time(cells, number, problems, date_at, time_at)
        when = cells[time_at].strip().lower() if time_at is not None else ""
        key = (day, when)
        entry = groups.setdefault(key, ComingEntry([], [], day, moment))
        entry.rows.append(number)
        entry.fingerprints.append(fingerprints[number])
        category = cells[at["category"]].strip()
        amount, detail = cells[at["rating/amount"]].strip(), cells[at["detail"]].strip()
        kind = category.lower()
        if kind in MOOD_CATEGORIES and amount:
            entry.moods.append(f"{category} {amount}")
        elif kind in FEELING_CATEGORIES:
            entry.moods += _names(detail, "|")
        elif kind in TAG_CATEGORIES:
            entry.tags += [name for name in _names(detail, "|") if name not in entry.tags]
        elif kind in NOTE_CATEGORIES:
            lines.setdefault(key, []).append(detail)
        elif category:
            reading = " ".join(part for part in (detail, f"({amount})" if amount else "") if part)
            lines.setdefault(key, []).append(f"{category}: {reading}".strip())
        if notes_at is not None and cells[notes_at].strip():
            lines.setdefault(key, []).append(cells[notes_at])
    for key, entry in groups.items():
        entry.moods = list(dict.fromkeys(entry.moods))
        entry.body = "\n".join(line.strip() for line in lines.get(key, []) if line.strip())
    return list(groups.values()), problems


def column_entries(
    table: CsvTable, rows, fingerprints, columns: dict
) -> tuple[list[ComingEntry], list[str]]:
    """Any CSV: the person said which column holds what."""
    problems = RowProblems()
    entries = []

    def cell(cells, name):
        index = columns.get(name)
        return cells[index] if index is not None else ""

    for number, cells in rows:
        day, moment = _date_and_time(
            cells, number, problems, columns["date"], columns.get("time"), columns["date_order"]
        )
        mood = cell(cells, "mood").strip()
        entries.append(
            ComingEntry(
                rows=[number],
                fingerprints=[fingerprints[number]],
                local_date=day,
                local_time=moment,
                moods=[mood] if mood else [],
                tags=_names(cell(cells, "tags")),
                body=cell(cells, "note").strip(),
            )
        )
    return entries, problems


# Moods ----------------------------------------------------------------------------


def _rating(label: str) -> int | None:
    """The number in a rated mood such as Bearable's "Mood 4"."""
    found = re.fullmatch(r"\D*?(\d+(?:\.\d+)?)", label.strip())
    return round(float(found[1])) if found else None


def default_moods(labels: Iterable[str], words: dict[str, EmotionWord]) -> dict[str, str]:
    """The feeling each mood name becomes unless the person picks another ("" for none)."""
    labels = list(labels)
    ratings = {label: rating for label in labels if (rating := _rating(label)) is not None}
    # Out of 5, unless a rating above 5 shows the scale is out of 10.
    scale = 10 if any(value > 5 for value in ratings.values()) else 5
    chosen = {}
    for label in labels:
        name = label.strip().lower()
        if name in DAYLIO_MOODS:
            chosen[label] = DAYLIO_MOODS[name][0]
        elif name in words:
            chosen[label] = name
        elif label in ratings:
            value = min(max(ratings[label], 1), scale)
            step = RATING_MOODS[min(4, (value - 1) * 5 // scale)]
            chosen[label] = DAYLIO_MOODS[step][0]
        else:
            # A custom mood ("super happy", "Tired 😴"): its first word we know, if any.
            known = [w for w in re.findall(r"[a-z-]+", name) if w in words or w in DAYLIO_MOODS]
            first = known[0] if known else ""
            chosen[label] = DAYLIO_MOODS[first][0] if first in DAYLIO_MOODS else first
    return chosen


def intensity_for(label: str) -> int:
    name = label.strip().lower()
    return DAYLIO_MOODS[name][1] if name in DAYLIO_MOODS else DEFAULT_INTENSITY


def moods_in(entries: list[ComingEntry]) -> list[str]:
    return list(dict.fromkeys(mood for entry in entries for mood in entry.moods))


# The plan and applying it -----------------------------------------------------------


def read_entries(user, source: str, payload: dict) -> tuple[list[ComingEntry], int, list[str]]:
    """(entries with rows not imported before, rows already here, problems)."""
    table = CsvTable(payload["header"], [(number, cells) for number, cells in payload["rows"]])
    fingerprints = {number: fingerprint(user, source, cells) for number, cells in table.rows}
    known = ImportedRow.objects.known(user, fingerprints.values())
    seen: set[str] = set()
    fresh = []
    for number, cells in table.rows:
        # A row imported before, or a copy of a row above it, adds nothing.
        if fingerprints[number] in known or fingerprints[number] in seen:
            continue
        seen.add(fingerprints[number])
        fresh.append((number, cells))
    already_here = len(table.rows) - len(fresh)
    if source == ImportSource.DAYLIO:
        entries, problems = daylio_entries(table, fresh, fingerprints)
    elif source == ImportSource.BEARABLE:
        entries, problems = bearable_entries(table, fresh, fingerprints)
    else:
        entries, problems = column_entries(table, fresh, fingerprints, payload["columns"])
    return entries, already_here, list(problems)


def plan_history(user, source: str, payload: dict) -> HistoryPlan:
    """What importing would add now, each entry checked by the journal's own models."""
    entries, already_here, problems = read_entries(user, source, payload)
    for entry in entries:
        for mood in entry.moods:
            if len(mood) > MOOD_MAX_LENGTH:
                problems.append(
                    f"{entry.where}: the mood “{mood[:MOOD_MAX_LENGTH]}…” is longer than "
                    f"{MOOD_MAX_LENGTH} characters. Is the mood in the right column?"
                )
                entry.moods = []
                break
    if len(moods_in(entries)) > MOST_MOODS:
        # First: it explains the rest.
        problems.insert(
            0,
            f"This file has more than {MOST_MOODS} different moods. Is the mood in the right "
            "column? If you choose no mood column, the entries are added without feelings.",
        )
        for entry in entries:
            entry.moods = []
    words = EmotionWord.objects.in_bulk(field_name="word")
    chosen = {**default_moods(moods_in(entries), words), **payload.get("moods", {})}
    tag_problems: dict[str, str] = {}
    for entry in entries:
        if entry.local_date is None:
            continue  # already reported
        entry.instance = JournalEntry(
            user=user, local_date=entry.local_date, body=entry.body, is_draft=False
        )
        found: dict[str, list] = {}
        try:
            # The owner is the signed-in person: no need to ask the database it exists.
            entry.instance.full_clean(exclude={"user"}, validate_unique=False)
        except ValidationError as error:
            found = error.update_error_dict(found)
        by_word: dict[str, tuple[EmotionWord, int]] = {}
        for mood in entry.moods:
            word = words.get(chosen.get(mood, ""))
            if word is not None:
                intensity = max(intensity_for(mood), by_word.get(word.word, (word, 0))[1])
                by_word[word.word] = (word, intensity)
        entry.feelings = list(by_word.values())
        for word, intensity in entry.feelings:
            try:
                # The word was just read from the vocabulary itself.
                NamedEmotion(emotion=word, intensity=intensity).clean_fields(
                    exclude={"entry", "user", "emotion"}
                )
            except ValidationError as error:
                found = error.update_error_dict(found)
        if len(entry.tags) > MAX_TAGS:
            found.setdefault("tags", []).append(
                f"It has {len(entry.tags)} activities or tags, and an entry can hold "
                f"{MAX_TAGS}. Remove some in the file and try again."
            )
        for name in entry.tags:
            if name not in tag_problems:
                try:
                    Tag(user=user, name=name).clean_fields(exclude={"user"})
                    tag_problems[name] = ""
                except ValidationError as error:
                    tag_problems[name] = " ".join(error.messages)
            if tag_problems[name]:
                shown = name if len(name) <= 40 else f"{name[:40]}…"
                found.setdefault("tags", []).append(f"“{shown}”: {tag_problems[name]}")
        for name, messages in ValidationError(found).message_dict.items() if found else ():
            what = FIELD_WORDS.get(name, name.replace("_", " "))
            problems.append(f"{entry.where}, {what}: {' '.join(messages)}")
    moods = [
        (label, words.get(chosen.get(label, "")), intensity_for(label))
        for label in moods_in(entries)
    ]
    return HistoryPlan(source, entries, already_here, problems, moods)


def refuse_problems(plan: HistoryPlan) -> None:
    if plan.problems:
        raise ImportProblem(
            "Some rows in this file can't become journal entries, so nothing was imported. "
            "Fix them in the file (or choose other columns) and try again.",
            plan.problems,
        )


def apply_history(user, plan: HistoryPlan) -> int:
    """Add every new entry with its feelings and tags, and remember its rows; all or nothing.

    The caller has checked the plan (refuse_problems) inside the same transaction.
    Rows are written the way the JSON import writes them (bulk, with the file's own
    times put back), so thousands of rows take a few queries.
    """
    zone = user.zone
    with transaction.atomic():
        entries = [entry for entry in plan.new if entry.instance is not None]
        for entry in entries:
            moment = datetime.combine(entry.instance.local_date, entry.local_time or NO_TIME)
            # fold=0: a time that happens twice as clocks go back is the first of the two.
            entry.instance.created_at = entry.instance.updated_at = moment.replace(tzinfo=zone)
        instances = [entry.instance for entry in entries]
        # Inserting stamps the present moment; the file's own times are put back.
        _create_keeping_times(JournalEntry, instances, ("created_at", "updated_at"))
        # bulk_create sends no post_save: the search's blind index learns the rows here.
        index_new_rows(instances)
        NamedEmotion.objects.bulk_create(
            [
                NamedEmotion(entry=entry.instance, user=user, emotion=word, intensity=intensity)
                for entry in entries
                for word, intensity in entry.feelings
            ],
            batch_size=1000,
        )
        wanted = {name for entry in entries for name in entry.tags}
        mine = Tag.objects.named(user, wanted)
        Tag.objects.bulk_create(
            [Tag(user=user, name=name) for name in sorted(wanted) if name not in mine]
        )
        mine = Tag.objects.named(user, wanted)
        through = JournalEntry.tags.through
        through.objects.bulk_create(
            [
                through(journalentry_id=entry.instance.pk, tag_id=mine[name].pk)
                for entry in entries
                for name in entry.tags
            ],
            batch_size=1000,
        )
        ImportedRow.objects.bulk_create(
            [
                ImportedRow(user=user, fingerprint=fp, entry=entry.instance)
                for entry in entries
                for fp in entry.fingerprints
            ],
            batch_size=1000,
        )
    return len(entries)
