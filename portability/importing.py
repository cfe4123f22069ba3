"""Bringing an export file back in: read it, check every row, show what would
be added, then add it all in one transaction, or nothing.

Rows are matched by their stable ids (the "id" written by the export), so
importing the same file twice adds nothing the second time. A row whose id
is not this account's is new here. If someone else's row has that id, the
copy gets an id of its own, derived from the account and the file's id (so a
second import still finds it), and the import says exactly what it says for an
id nobody has: what it tells never depends on other people's rows.
"""

import json
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from accounts.models import User
from accounts.timezones import selectable_timezones
from journal.models import (
    EmotionWord,
    FacesRating,
    IntegrationCheckIn,
    JournalEntry,
    NamedEmotion,
    Rupture,
    Tag,
)
from portability.export import (
    ACCOUNT,
    CHECK_INS,
    DELIVERIES,
    FACES_RATINGS,
    FORMAT,
    JOURNAL_ENTRIES,
    NAMED_FEELINGS,
    PRACTICE_SESSIONS,
    REMINDER_PREFERENCES,
    REMINDERS,
    RUPTURES,
    SCHEMA_VERSION,
    Kind,
)
from practices.models import Practice, PracticeSession
from reminders.models import MAX_REMINDERS_PER_PERSON, Delivery, Reminder, ReminderPreferences

IMPORT_MAX_BYTES = 10 * 1024 * 1024
# Names the ids given to copies of rows whose id is taken by another account.
COPY_ID_NAMESPACE = uuid.UUID("5b1c7f3e-2f7d-4a51-9a55-0d3c6f6f1e21")
MAX_PROBLEMS_SHOWN = 10
# Deliveries still waiting to be sent belong to the old account's schedule.
FINISHED_DELIVERY_STATUSES = frozenset(Delivery.Status) - {
    Delivery.Status.PENDING,
    Delivery.Status.SENDING,
}
ID_BATCH = 2000


class ImportProblem(Exception):
    """Why a file can't be imported, in words for the person, and where."""

    def __init__(self, message: str, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.details = (details or [])[:MAX_PROBLEMS_SHOWN]
        self.more = max(0, len(details or []) - MAX_PROBLEMS_SHOWN)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def read_export(upload) -> dict:
    """The parsed file, if it is a Riverwise export we can read; else ImportProblem."""
    if upload.size > IMPORT_MAX_BYTES:
        raise ImportProblem(
            f"This file is {_megabytes(upload.size)}, and the most we can import at once is "
            f"{_megabytes(IMPORT_MAX_BYTES)}. Nothing was imported."
        )
    raw = upload.read(IMPORT_MAX_BYTES + 1)
    if len(raw) > IMPORT_MAX_BYTES:
        raise ImportProblem(
            f"This file is larger than {_megabytes(IMPORT_MAX_BYTES)}, the most we can import "
            "at once. Nothing was imported."
        )
    not_ours = (
        "This doesn't look like a file exported from Riverwise. Choose the .json file from "
        "“Download everything (JSON)”. Nothing was imported."
    )
    if raw.startswith(b"PK"):
        raise ImportProblem(
            "This is a zip file, like the spreadsheet (CSV) download. Importing needs the "
            ".json file from “Download everything (JSON)”. Nothing was imported."
        )
    try:
        data = json.loads(
            raw.decode("utf-8-sig"), parse_constant=_not_json, parse_float=_finite_float
        )
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ImportProblem(not_ours) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or _deeper_than(data, 32):
        raise ImportProblem(not_ours)
    _refuse_unstorable_text(data)
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ImportProblem("This file's version is missing or damaged. Nothing was imported.")
    if version > SCHEMA_VERSION:
        raise ImportProblem(
            "This file comes from a newer version of Riverwise than this one, so we can't "
            "read it safely yet. Nothing was imported."
        )
    for kind in (PRACTICE_SESSIONS, JOURNAL_ENTRIES, FACES_RATINGS, CHECK_INS, RUPTURES):
        _list_of_rows(data, kind.key)
    _list_of_rows(data, REMINDERS.key)
    _list_of_rows(data, DELIVERIES.key)
    return data


def _not_json(name: str):
    raise ValueError(f"{name} is not a JSON number")  # NaN, Infinity: Python-only


def _finite_float(text: str) -> float:
    number = float(text)
    if number in (float("inf"), float("-inf")):
        raise ValueError("too large")  # e.g. 1e999
    return number


def _deeper_than(value, limit: int) -> bool:
    """An export nests a few levels; far deeper can't be saved or shown."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return False


def _refuse_unstorable_text(data) -> None:
    if _has_unstorable_text(data):
        # No database text column can hold these; they never come from our export.
        raise ImportProblem(
            "This file contains characters that can't be stored (a NUL or a broken "
            "character code), so it can't be imported. Nothing was imported."
        )


def _has_unstorable_text(value) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:  # a lone surrogate, e.g. "\ud800"
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _list_of_rows(data: dict, key: str) -> list[dict]:
    rows = data.get(key, [])
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise ImportProblem(
            f"The “{key}” part of this file is damaged: it should be a list of items. "
            "Nothing was imported."
        )
    return rows


# Reading rows ------------------------------------------------------------------


class RowReader:
    """Turns file rows into unsaved model instances, collecting every problem."""

    def __init__(self):
        self.problems: list[str] = []

    def problem(self, kind: Kind, index: int, message: str) -> None:
        self.problems.append(f"{kind.label}, item {index + 1}: {message}")

    def values(self, kind: Kind, index: int, row: dict, skip: tuple[str, ...] = ()) -> dict:
        """The row's plain columns, converted and validated like the model's own fields."""
        model = kind.model
        values = {}
        for column, lookup in kind.columns.items():
            if "__" in lookup or column in skip:
                continue
            model_field = model._meta.get_field(lookup)
            try:
                values[lookup] = self._value(model_field, row, column)
            except ValidationError as error:
                name = column.replace("_", " ")
                self.problem(kind, index, f"{name}: {' '.join(error.messages)}")
        return values

    def _value(self, model_field, row: dict, column: str):
        if column not in row:
            if column == "id":
                raise ValidationError("This item has no id.")
            if model_field.has_default():
                return model_field.get_default()
            if model_field.null:
                return None
            raise ValidationError("This is missing.")
        raw = row[column]
        if raw is None:
            if model_field.null:
                return None
            raise ValidationError("This can't be empty.")
        if isinstance(model_field, models.CharField | models.TextField) and not isinstance(
            raw, str
        ):
            raise ValidationError("This should be text.")
        if isinstance(model_field, models.IntegerField) and (
            isinstance(raw, bool) or not isinstance(raw, int)
        ):
            raise ValidationError("This should be a whole number.")
        if isinstance(model_field, models.BooleanField) and not isinstance(raw, bool):
            raise ValidationError("This should be true or false.")
        if isinstance(
            model_field, models.DateField | models.TimeField | models.UUIDField
        ) and not isinstance(raw, str):
            raise ValidationError("This should be a date, time or id written as text.")
        try:
            value = model_field.to_python(raw)
        except (TypeError, ValueError, OverflowError):
            raise ValidationError("This isn't a value we can read.") from None
        if isinstance(model_field, models.JSONField) and model_field.has_default():
            shape = type(model_field.get_default())
            if not isinstance(value, shape):
                raise ValidationError(
                    "This should be a list." if shape is list else "This should be a set of values."
                )
        if isinstance(value, datetime) and timezone.is_naive(value):
            raise ValidationError("This time has no time zone.")
        if isinstance(model_field, models.DateField | models.TimeField) and value is None:
            raise ValidationError("This isn't a valid date or time.")
        if model_field.editable:
            model_field.validate(value, None)
        model_field.run_validators(value)
        if (
            isinstance(value, str)
            and model_field.max_length
            and len(value) > model_field.max_length
        ):
            raise ValidationError(f"This is longer than {model_field.max_length} characters.")
        return value

    def model_rules(self, kind: Kind, index: int, instance) -> None:
        """The model's own clean(): rules across fields, such as a session's settings."""
        try:
            instance.clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                where = "" if name == "__all__" else f"{name.replace('_', ' ')}: "
                self.problem(kind, index, where + " ".join(messages))

    def text_list(self, kind: Kind, index: int, row: dict, column: str, max_length: int):
        items = row.get(column, [])
        if not isinstance(items, list) or not all(
            isinstance(item, str) and 0 < len(item.strip()) <= max_length for item in items
        ):
            self.problem(
                kind, index, f"{column.replace('_', ' ')}: this should be a list of words."
            )
            return []
        return [item.strip() for item in items]


def _in_batches(ids: list) -> list[list]:
    return [ids[start : start + ID_BATCH] for start in range(0, len(ids), ID_BATCH)]


def _owners(model, ids: list) -> dict:
    """public_id -> owner's pk, for the ids that already exist anywhere."""
    owners = {}
    for batch in _in_batches(ids):
        owners.update(model.objects.filter(public_id__in=batch).values_list("public_id", "user_id"))
    return owners


def _already_used(queryset, lookup: str, values: list) -> set:
    """Which of `values` the (owner-scoped) queryset already has in `lookup`."""
    found = set()
    for batch in _in_batches(values):
        found.update(queryset.filter(**{f"{lookup}__in": batch}).values_list(lookup, flat=True))
    return found


# Planning ------------------------------------------------------------------------


@dataclass
class KindPlan:
    kind: Kind
    new: list = field(default_factory=list)
    already_here: int = 0
    # Rows whose day (or kind) is already taken in the account: the account's own is kept.
    kept_yours: int = 0
    # Rows deliberately not imported, e.g. reminder emails still waiting to be sent.
    not_imported: int = 0

    @property
    def label(self) -> str:
        return self.kind.label

    @property
    def in_file(self) -> int:
        return len(self.new) + self.already_here + self.kept_yours + self.not_imported


@dataclass
class ImportPlan:
    user: object
    source_email: str
    exported_at: datetime | None
    first_day: date | None
    last_day: date | None
    kinds: dict[str, KindPlan]
    settings: dict = field(default_factory=dict)
    preferences: dict = field(default_factory=dict)
    tag_names: set[str] = field(default_factory=set)
    entry_tags: dict[uuid.UUID, list[str]] = field(default_factory=dict)
    rupture_felt: dict[uuid.UUID, list[EmotionWord]] = field(default_factory=dict)
    entry_of_feeling: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)
    reminder_of_delivery: list[uuid.UUID] = field(default_factory=list)

    @property
    def total_new(self) -> int:
        return sum(len(plan.new) for plan in self.kinds.values())

    @property
    def total_already_here(self) -> int:
        return sum(plan.already_here for plan in self.kinds.values())

    @property
    def settings_changes(self) -> list[tuple[str, str]]:
        """(what, new value) for each setting the import would change, in words."""
        user = self.user
        changes = []
        if "display_name" in self.settings and self.settings["display_name"] != user.display_name:
            changes.append(("Display name", self.settings["display_name"] or "(none)"))
        if "timezone" in self.settings and self.settings["timezone"] != user.timezone:
            changes.append(("Time zone", self.settings["timezone"]))
        if "hide_streaks" in self.settings and self.settings["hide_streaks"] != user.hide_streaks:
            changes.append(("Streaks", "hidden" if self.settings["hide_streaks"] else "shown"))
        return changes

    def summary(self) -> dict:
        """What the preview shows, as JSON kept with the upload (see ImportPreview)."""
        return {
            "source_email": self.source_email,
            "exported_at": self.exported_at.isoformat() if self.exported_at else None,
            "first_day": self.first_day.isoformat() if self.first_day else None,
            "last_day": self.last_day.isoformat() if self.last_day else None,
            "kinds": [
                {
                    "key": key,
                    "label": plan.label,
                    "new": len(plan.new),
                    "already_here": plan.already_here,
                    "kept_yours": plan.kept_yours,
                    "not_imported": plan.not_imported,
                }
                for key, plan in self.kinds.items()
            ],
            "settings_changes": self.settings_changes,
        }


@dataclass(frozen=True)
class KindPreview:
    label: str
    new: int
    already_here: int
    kept_yours: int
    not_imported: int

    @property
    def in_file(self) -> int:
        return self.new + self.already_here + self.kept_yours + self.not_imported


@dataclass(frozen=True)
class ImportPreview:
    """What the check at upload found, read back from the upload's summary."""

    source_email: str
    exported_at: datetime | None
    first_day: date | None
    last_day: date | None
    kinds: dict[str, KindPreview]
    settings_changes: list[tuple[str, str]]

    @classmethod
    def from_summary(cls, summary: dict) -> "ImportPreview":
        def day(value):
            return date.fromisoformat(value) if value else None

        exported_at = summary.get("exported_at")
        return cls(
            source_email=summary.get("source_email", ""),
            exported_at=datetime.fromisoformat(exported_at) if exported_at else None,
            first_day=day(summary.get("first_day")),
            last_day=day(summary.get("last_day")),
            kinds={
                kind["key"]: KindPreview(**{k: v for k, v in kind.items() if k != "key"})
                for kind in summary.get("kinds", [])
            },
            settings_changes=[tuple(change) for change in summary.get("settings_changes", [])],
        )

    @property
    def total_new(self) -> int:
        return sum(kind.new for kind in self.kinds.values())


def plan_import(user, data: dict, *, restore_settings: bool = True) -> ImportPlan:
    """Check the whole file against the account. Raises ImportProblem listing what's wrong."""
    _refuse_unstorable_text(data)
    reader = RowReader()
    # Steps too: a grounding session's order of the senses is checked against them.
    practices = Practice.objects.prefetch_related("steps").in_bulk(field_name="slug")
    words = EmotionWord.objects.in_bulk(field_name="word")
    account = data.get("account") if isinstance(data.get("account"), dict) else {}
    plan = ImportPlan(
        user=user,
        source_email=str(account.get("email", ""))[:254],
        exported_at=_moment(data.get("exported_at")),
        first_day=None,
        last_day=None,
        kinds={},
    )
    days: list[date] = []

    def unique_ids(kind: Kind, rows: list[dict]) -> None:
        counts = Counter(str(row.get("id")) for row in rows)
        for index, row in enumerate(rows):
            if counts[str(row.get("id"))] > 1:
                reader.problem(kind, index, "this id appears more than once in the file.")

    def split(kind: Kind, instances: list) -> KindPlan:
        """Sort new rows from ones already here, giving copies of other people's ids
        ids of their own; returns the plan, and the instances' ids as changed."""
        kind_plan = KindPlan(kind)
        kind_plan.new, kind_plan.already_here, renamed = _split_by_owner(
            user, kind.model, instances
        )
        plan.kinds[kind.key] = kind_plan
        return kind_plan, renamed

    # Practice sessions
    rows = _list_of_rows(data, PRACTICE_SESSIONS.key)
    unique_ids(PRACTICE_SESSIONS, rows)
    sessions = []
    for index, row in enumerate(rows):
        values = reader.values(PRACTICE_SESSIONS, index, row)
        practice = practices.get(_text(row.get("practice")))
        if practice is None:
            reader.problem(
                PRACTICE_SESSIONS, index, f"we don't know the practice “{row.get('practice')}”."
            )
            continue
        session = PracticeSession(user=user, practice=practice, **values)
        if "parameters" in values:
            # The model's own rule, the one the start forms use: same bounds, same choices.
            reader.model_rules(PRACTICE_SESSIONS, index, session)
        sessions.append(session)
    session_plan, _ = split(PRACTICE_SESSIONS, sessions)
    # A form key is unique per person; a clash only means "give it a fresh one".
    taken = _already_used(
        PracticeSession.objects.for_user(user),
        "request_id",
        [session.request_id for session in session_plan.new],
    )
    for session in session_plan.new:
        if session.request_id in taken:
            session.request_id = uuid.uuid4()
        taken.add(session.request_id)
    days += [session.local_date for session in sessions if session.local_date]

    # Journal entries, their feelings and tags
    rows = _list_of_rows(data, JOURNAL_ENTRIES.key)
    unique_ids(JOURNAL_ENTRIES, rows)
    entries, feelings = [], []
    feeling_ids: Counter = Counter()
    for index, row in enumerate(rows):
        values = reader.values(JOURNAL_ENTRIES, index, row)
        entry = JournalEntry(user=user, **values)
        entries.append(entry)
        plan.entry_tags[entry.public_id] = reader.text_list(
            JOURNAL_ENTRIES, index, row, "tags", Tag._meta.get_field("name").max_length
        )
        entry_feelings = row.get("feelings", [])
        if not isinstance(entry_feelings, list) or not all(
            isinstance(feeling, dict) for feeling in entry_feelings
        ):
            reader.problem(JOURNAL_ENTRIES, index, "feelings: this should be a list of items.")
            continue
        seen_words = set()
        for feeling_row in entry_feelings:
            feeling_values = reader.values(NAMED_FEELINGS, index, feeling_row)
            emotion = words.get(_text(feeling_row.get("word")))
            if emotion is None:
                reader.problem(
                    JOURNAL_ENTRIES,
                    index,
                    f"we don't know the feeling “{feeling_row.get('word')}”.",
                )
                continue
            if emotion.pk in seen_words:
                reader.problem(JOURNAL_ENTRIES, index, f"“{emotion.word}” is named twice.")
            seen_words.add(emotion.pk)
            feeling = NamedEmotion(user=user, emotion=emotion, **feeling_values)
            feeling_ids[feeling.public_id] += 1
            plan.entry_of_feeling[feeling.public_id] = entry.public_id
            feelings.append(feeling)
    if any(count > 1 for count in feeling_ids.values()):
        reader.problems.append("Feelings: the same feeling id appears more than once in the file.")
    entry_plan, renamed = split(JOURNAL_ENTRIES, entries)
    plan.entry_tags = _renamed_keys(plan.entry_tags, renamed)
    plan.entry_of_feeling = {
        feeling: renamed.get(entry, entry) for feeling, entry in plan.entry_of_feeling.items()
    }
    new_entries = {entry.public_id for entry in entry_plan.new}
    feelings_of_new = [f for f in feelings if plan.entry_of_feeling[f.public_id] in new_entries]
    feeling_plan = KindPlan(NAMED_FEELINGS, already_here=len(feelings) - len(feelings_of_new))
    # A new entry's feelings are new too; copies of other people's get ids of their own.
    feeling_plan.new, already_here, renamed = _split_by_owner(user, NamedEmotion, feelings_of_new)
    feeling_plan.already_here += already_here
    plan.entry_of_feeling = _renamed_keys(plan.entry_of_feeling, renamed)
    plan.kinds[NAMED_FEELINGS.key] = feeling_plan
    days += [entry.local_date for entry in entries if entry.local_date]
    tag_names = data.get("journal_tags", [])
    if not isinstance(tag_names, list) or not all(
        isinstance(name, str) and 0 < len(name.strip()) <= 40 for name in tag_names
    ):
        reader.problems.append("Tags: this should be a list of words.")
        tag_names = []
    wanted_tags = {name.strip() for name in tag_names}
    for entry in entry_plan.new:
        wanted_tags.update(plan.entry_tags.get(entry.public_id, []))
    existing_tags = set(
        Tag.objects.for_user(user).filter(name__in=wanted_tags).values_list("name", flat=True)
    )
    plan.tag_names = wanted_tags - existing_tags

    # FACES: one rating per day; a day already rated here keeps its rating.
    rows = _list_of_rows(data, FACES_RATINGS.key)
    unique_ids(FACES_RATINGS, rows)
    ratings = [
        FacesRating(user=user, **reader.values(FACES_RATINGS, index, row))
        for index, row in enumerate(rows)
    ]
    day_counts = Counter(rating.local_date for rating in ratings)
    for index, rating in enumerate(ratings):
        if rating.local_date and day_counts[rating.local_date] > 1:
            reader.problem(FACES_RATINGS, index, f"{rating.local_date} is rated more than once.")
    faces_plan, _ = split(FACES_RATINGS, ratings)
    rated_days = _already_used(
        FacesRating.objects.for_user(user),
        "local_date",
        [rating.local_date for rating in faces_plan.new],
    )
    faces_plan.kept_yours = sum(rating.local_date in rated_days for rating in faces_plan.new)
    faces_plan.new = [rating for rating in faces_plan.new if rating.local_date not in rated_days]
    days += [rating.local_date for rating in ratings if rating.local_date]

    # River check-ins
    rows = _list_of_rows(data, CHECK_INS.key)
    unique_ids(CHECK_INS, rows)
    check_ins = []
    for index, row in enumerate(rows):
        values = reader.values(CHECK_INS, index, row)
        for signs in ("integration_signs", "disintegration_signs"):
            values[signs] = reader.text_list(CHECK_INS, index, row, signs, 40)
        check_ins.append(IntegrationCheckIn(user=user, **values))
    split(CHECK_INS, check_ins)
    days += [check_in.local_date for check_in in check_ins if check_in.local_date]

    # Repair reflections
    rows = _list_of_rows(data, RUPTURES.key)
    unique_ids(RUPTURES, rows)
    ruptures = []
    for index, row in enumerate(rows):
        rupture = Rupture(user=user, **reader.values(RUPTURES, index, row))
        if (
            rupture.repaired_on
            and rupture.ruptured_on
            and rupture.repaired_on < rupture.ruptured_on
        ):
            reader.problem(RUPTURES, index, "the repair date is before the rupture.")
        if rupture.repaired_on and rupture.repair_status != "repaired":
            reader.problem(RUPTURES, index, "a repair date is set, but it isn't marked repaired.")
        felt = []
        for word in reader.text_list(RUPTURES, index, row, "felt", 40):
            if word in words:
                felt.append(words[word])
            else:
                reader.problem(RUPTURES, index, f"we don't know the feeling “{word}”.")
        plan.rupture_felt[rupture.public_id] = felt
        ruptures.append(rupture)
    _, renamed = split(RUPTURES, ruptures)
    plan.rupture_felt = _renamed_keys(plan.rupture_felt, renamed)

    # Reminders, and the record of their emails
    rows = _list_of_rows(data, REMINDERS.key)
    unique_ids(REMINDERS, rows)
    reminders = []
    for index, row in enumerate(rows):
        reminder = Reminder(user=user, **reader.values(REMINDERS, index, row))
        if isinstance(reminder.days, int) and not reminder.days & 0b1111111:
            reader.problem(REMINDERS, index, "a reminder needs at least one day.")
        reminders.append(reminder)
    in_file = {reminder.public_id for reminder in reminders}
    reminder_plan, renamed = split(REMINDERS, reminders)
    have = Reminder.objects.for_user(user).count()
    if have + len(reminder_plan.new) > MAX_REMINDERS_PER_PERSON:
        reader.problems.append(
            f"Reminders: this would give you {have + len(reminder_plan.new)} reminders, and "
            f"the most is {MAX_REMINDERS_PER_PERSON}. Delete some reminders first."
        )
    new_reminders = {reminder.public_id for reminder in reminder_plan.new}
    rows = _list_of_rows(data, DELIVERIES.key)
    delivery_plan = KindPlan(DELIVERIES)
    seen = set()
    for index, row in enumerate(rows):
        values = reader.values(DELIVERIES, index, row)
        try:
            reminder_id = uuid.UUID(str(row.get("reminder")))
        except ValueError:
            reminder_id = None
        if reminder_id not in in_file:
            reader.problem(DELIVERIES, index, "it belongs to a reminder that isn't in the file.")
            continue
        reminder_id = renamed.get(reminder_id, reminder_id)
        if (reminder_id, values.get("local_date")) in seen:
            reader.problem(DELIVERIES, index, "this reminder has two emails on one day.")
        seen.add((reminder_id, values.get("local_date")))
        if reminder_id not in new_reminders:
            delivery_plan.already_here += 1
        elif values.get("status") not in FINISHED_DELIVERY_STATUSES:
            delivery_plan.not_imported += 1
        else:
            delivery_plan.new.append(Delivery(**values))
            plan.reminder_of_delivery.append(reminder_id)
    plan.kinds[DELIVERIES.key] = delivery_plan

    # Settings
    if restore_settings:
        plan.settings = _read_settings(reader, account)
        preferences = data.get("reminder_preferences")
        if isinstance(preferences, dict):
            plan.preferences = _read_preferences(reader, preferences)

    if reader.problems:
        raise ImportProblem(
            "Some items in this file can't be read, so nothing was imported. "
            "If you changed the file by hand, undo those changes and try again.",
            reader.problems,
        )
    if days:
        plan.first_day, plan.last_day = min(days), max(days)
    return plan


def _split_by_owner(user, model, instances: list) -> tuple[list, int, dict]:
    """(new instances, how many are already here, {file id: id given to its copy}).

    An id this account has is already here. Any other is new: it keeps the file's
    id when that is free, and otherwise gets an id derived from the account and
    the file's id, so importing the file again finds the copy. Which of the two
    happened shows nowhere in what the import says.
    """
    copy_ids = {
        instance.public_id: uuid.uuid5(COPY_ID_NAMESPACE, f"{user.pk}:{instance.public_id}")
        for instance in instances
    }
    owners = _owners(model, [*copy_ids, *copy_ids.values()])
    new, already_here, renamed = [], 0, {}
    for instance in instances:
        file_id, copy_id = instance.public_id, copy_ids[instance.public_id]
        if user.pk in (owners.get(file_id), owners.get(copy_id)):
            already_here += 1
            continue
        if file_id in owners:
            instance.public_id = renamed[file_id] = copy_id
        new.append(instance)
    return new, already_here, renamed


def _renamed_keys(mapping: dict, renamed: dict) -> dict:
    return {renamed.get(key, key): value for key, value in mapping.items()}


def _text(value) -> str:
    """A name from the file, or "" when it isn't text (so it can't match anything)."""
    return value if isinstance(value, str) else ""


def _moment(value) -> datetime | None:
    try:
        moment = models.DateTimeField().to_python(value) if isinstance(value, str) else None
    except ValidationError:
        return None
    return moment if moment and timezone.is_aware(moment) else None


def _read_settings(reader: RowReader, account: dict) -> dict:
    settings = {}
    if isinstance(account.get("display_name"), str) and len(account["display_name"]) <= 60:
        settings["display_name"] = account["display_name"]
    if account.get("timezone") in selectable_timezones():
        settings["timezone"] = account["timezone"]
    elif "timezone" in account:
        reader.problems.append(f"{ACCOUNT.label}: we don't know the time zone in this file.")
    if isinstance(account.get("hide_streaks"), bool):
        settings["hide_streaks"] = account["hide_streaks"]
    return settings


def _read_preferences(reader: RowReader, preferences: dict) -> dict:
    values = reader.values(REMINDER_PREFERENCES, 0, preferences)
    return {name: value for name, value in values.items() if name in preferences}


# Applying ------------------------------------------------------------------------


def _create_keeping_times(model, objects: list, times: tuple[str, ...]) -> None:
    """bulk_create, then put back the file's own timestamps.

    Inserting stamps auto_now/auto_now_add fields with the present moment; the
    file's values are the true ones, and an UPDATE doesn't re-stamp them.
    """
    if not objects:
        return
    kept = [tuple(getattr(obj, name) for name in times) for obj in objects]
    model.objects.bulk_create(objects, batch_size=500)
    for obj, values in zip(objects, kept, strict=True):
        for name, value in zip(times, values, strict=True):
            setattr(obj, name, value)
    if times:
        model.objects.bulk_update(objects, list(times), batch_size=500)


def apply_plan(plan: ImportPlan) -> None:
    """Write everything the plan found new, in one transaction."""
    user = plan.user
    try:
        with transaction.atomic():
            # Bulk writes send no save signals: mark the data changed here.
            User.objects.data_changed(user.pk)
            if plan.settings:
                for name, value in plan.settings.items():
                    setattr(user, name, value)
                # Saving the zone also moves the person's reminders (reminders app).
                user.save(update_fields=list(plan.settings))
            if plan.preferences:
                ReminderPreferences.objects.update_or_create(user=user, defaults=plan.preferences)
            Tag.objects.bulk_create([Tag(user=user, name=name) for name in sorted(plan.tag_names)])
            tags = {tag.name: tag for tag in Tag.objects.for_user(user)}

            _create_keeping_times(PracticeSession, plan.kinds[PRACTICE_SESSIONS.key].new, ())
            entries = plan.kinds[JOURNAL_ENTRIES.key].new
            _create_keeping_times(JournalEntry, entries, ("created_at", "updated_at"))
            entry_pk = {entry.public_id: entry.pk for entry in entries}
            feelings = plan.kinds[NAMED_FEELINGS.key].new
            for feeling in feelings:
                feeling.entry_id = entry_pk[plan.entry_of_feeling[feeling.public_id]]
                feeling.user_id = user.pk
            _create_keeping_times(NamedEmotion, feelings, ("created_at",))
            Through = JournalEntry.tags.through
            Through.objects.bulk_create(
                [
                    Through(journalentry_id=entry.pk, tag_id=tags[name].pk)
                    for entry in entries
                    for name in set(plan.entry_tags.get(entry.public_id, []))
                ],
                batch_size=1000,
            )
            _create_keeping_times(
                FacesRating, plan.kinds[FACES_RATINGS.key].new, ("created_at", "updated_at")
            )
            _create_keeping_times(
                IntegrationCheckIn, plan.kinds[CHECK_INS.key].new, ("created_at",)
            )
            ruptures = plan.kinds[RUPTURES.key].new
            _create_keeping_times(Rupture, ruptures, ("created_at", "updated_at"))
            Felt = Rupture.felt.through
            Felt.objects.bulk_create(
                [
                    Felt(rupture_id=rupture.pk, emotionword_id=word.pk)
                    for rupture in ruptures
                    for word in plan.rupture_felt.get(rupture.public_id, [])
                ],
                batch_size=1000,
            )
            reminders = plan.kinds[REMINDERS.key].new
            for reminder in reminders:
                reminder.user = user
                reminder.reschedule()
            _create_keeping_times(Reminder, reminders, ("created_at",))
            reminder_pk = {reminder.public_id: reminder.pk for reminder in reminders}
            deliveries = plan.kinds[DELIVERIES.key].new
            for delivery, reminder_id in zip(deliveries, plan.reminder_of_delivery, strict=True):
                delivery.reminder_id = reminder_pk[reminder_id]
            _create_keeping_times(Delivery, deliveries, ("created_at",))
    except IntegrityError:
        # Checked above, so this means the account changed in the meantime.
        raise ImportProblem(
            "Something in your account changed while importing, so nothing was imported. "
            "Please try again."
        ) from None
