"""Reading an export file: whether it is ours and readable at all, and each
value as the Python type of the field it belongs to.

The rules a value must then follow (bounds, choices, rules across fields,
constraints) are the models' own and are checked by `full_clean` in the import
engine; this module only makes sure the JSON can be handed to them: the right
JSON type, a time with its zone, no text a database can't store, and within
the file size and nesting an export can have.
"""

import json
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from portability.registry import Shape, kinds

FORMAT = "riverwise-export"
SCHEMA_VERSION = 1
IMPORT_MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 32
MAX_PROBLEMS_SHOWN = 10


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
    if not isinstance(data, dict) or data.get("format") != FORMAT or _deeper_than(data, MAX_DEPTH):
        raise ImportProblem(not_ours)
    refuse_unstorable_text(data)
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ImportProblem("This file's version is missing or damaged. Nothing was imported.")
    if version > SCHEMA_VERSION:
        raise ImportProblem(
            "This file comes from a newer version of Riverwise than this one, so we can't "
            "read it safely yet. Nothing was imported."
        )
    for kind in kinds():
        if kind.shape is Shape.ROWS and not kind.parent:
            list_of_rows(data, kind.key)
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


def refuse_unstorable_text(data) -> None:
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


def list_of_rows(data: dict, key: str) -> list[dict]:
    rows = data.get(key, [])
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise ImportProblem(
            f"The “{key}” part of this file is damaged: it should be a list of items. "
            "Nothing was imported."
        )
    return rows


def field_value(model_field: models.Field, row: dict, column: str) -> Any:
    """The column's value as the field's Python type, or ValidationError saying why not.

    JSON is looser than the models: text, whole numbers, true/false, dates and ids
    must arrive as the JSON type our export writes, so that e.g. a number never
    becomes text and a list never becomes a setting."""
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
    expected = _json_type(model_field)
    if expected is not None and (
        not isinstance(raw, expected[0]) or isinstance(raw, bool) and expected[0] is int
    ):
        raise ValidationError(expected[1])
    try:
        value = model_field.to_python(raw)
    except (TypeError, ValueError, OverflowError):
        raise ValidationError("This isn't a value we can read.") from None
    if isinstance(value, datetime) and timezone.is_naive(value):
        raise ValidationError("This time has no time zone.")
    # Django checks a TextField's max_length only in forms, never in full_clean.
    limit = model_field.max_length if isinstance(model_field, models.TextField) else None
    if limit and len(value) > limit:
        raise ValidationError(f"This is longer than {limit} characters.")
    return value


def _json_type(model_field: models.Field) -> tuple[type | tuple[type, ...], str] | None:
    if isinstance(model_field, models.BooleanField):
        return bool, "This should be true or false."
    if isinstance(model_field, models.IntegerField):
        return int, "This should be a whole number."
    if isinstance(model_field, models.CharField | models.TextField):
        return str, "This should be text."
    if isinstance(model_field, models.DateField | models.TimeField | models.UUIDField):
        return str, "This should be a date, time or id written as text."
    if isinstance(model_field, models.JSONField) and model_field.has_default():
        shape = type(model_field.get_default())
        return (
            shape,
            "This should be a list." if shape is list else "This should be a set of values.",
        )
    return None


def words(value, max_length: int) -> list[str] | None:
    """A list of short words (tags, signs, feeling words), stripped; None if it isn't one."""
    if not isinstance(value, list) or not all(
        isinstance(item, str) and 0 < len(item.strip()) <= max_length for item in value
    ):
        return None
    return [item.strip() for item in value]
