"""A person's own data as a file: complete JSON, and CSV (one file per kind, zipped).

What goes in is what the apps declare in their portability.py (see registry).
Every row is identified by its `public_id` (written as "id"), so an import can
tell what is already in the account. Relations are written as natural keys:
a practice by its slug, a feeling by its word, a tag by its name.
"""

import csv
import io
import json
import uuid
import zipfile
from datetime import date, datetime, time

from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.utils import timezone

from portability.reading import FORMAT, SCHEMA_VERSION
from portability.registry import Kind, Shape, kinds
from vault.fields import Sealed, SealedFieldMixin


def _rows(queryset: QuerySet, kind: Kind, owner_id: int) -> list[dict]:
    names, lookups = list(kind.columns), list(kind.columns.values())
    # Sealed columns come from the database sealed: open them (each is bound to its row).
    sealed = {
        name: field
        for name, lookup in kind.columns.items()
        if isinstance(field := _field_or_none(kind.model, lookup), SealedFieldMixin)
    }
    if not sealed:
        return [
            dict(zip(names, values, strict=True))
            for values in queryset.values_list(*lookups).iterator(chunk_size=2000)
        ]
    rows = []
    for values in queryset.values_list(*lookups, "public_id").iterator(chunk_size=2000):
        row = dict(zip(names, values[:-1], strict=True))
        for name, field in sealed.items():
            if isinstance(row[name], Sealed):
                row[name] = field.open_at(owner_id, values[-1], row[name])
        rows.append(row)
    return rows


def _field_or_none(model, lookup: str):
    try:
        return model._meta.get_field(lookup)
    except FieldDoesNotExist:
        return None


def _linked_names(queryset: QuerySet, kind: Kind, column: str, owner_id: int) -> dict:
    """Row id -> the names it links to, for one many-to-many field: one query."""
    field = kind.model._meta.get_field(column)
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    by = kind.links[column].by
    name = f"{target}__{by}"
    through = field.remote_field.through.objects.filter(**{f"{source}__in": queryset})
    name_field = field.related_model._meta.get_field(by)
    if not isinstance(name_field, SealedFieldMixin):
        grouped: dict = {}
        for row_id, value in (
            through.order_by(name)
            .values_list(f"{source}__public_id", name)
            .iterator(chunk_size=2000)
        ):
            grouped.setdefault(row_id, []).append(value)
        return grouped
    # The person's own names (tags) are sealed: open each, and sort them here.
    open_name = name_field.opener(owner_id)
    opened: dict = {}
    for row_id, value, name_id in through.values_list(
        f"{source}__public_id", name, f"{target}__public_id"
    ).iterator(chunk_size=2000):
        opened.setdefault(row_id, []).append(
            open_name(name_id, value) if isinstance(value, Sealed) else value
        )
    return {row_id: sorted(names) for row_id, names in opened.items()}


def _settings(user, kind: Kind) -> dict:
    if isinstance(user, kind.model):
        instance = user
    else:
        # Defaults until the person changes one.
        instance = kind.model.objects.filter(user=user).first() or kind.model(user=user)
    return {column: getattr(instance, lookup) for column, lookup in kind.columns.items()}


def export_data(user) -> dict:
    """Everything the person keeps here, as plain data. A fixed number of queries."""
    data: dict = {"format": FORMAT, "schema_version": SCHEMA_VERSION, "exported_at": timezone.now()}
    rows_of: dict[str, list[dict]] = {}
    for kind in kinds():
        if kind.shape is Shape.SETTINGS:
            data[kind.key] = _settings(user, kind)
            continue
        queryset = kind.model.objects.for_user(user)
        if kind.shape is Shape.NAMES:
            (name,) = kind.columns.values()
            # The person's own names may be sealed: the database can't sort them.
            data[kind.key] = sorted(getattr(row, name) for row in queryset)
            continue
        queryset = queryset.order_by(*kind.export_order)
        rows = rows_of[kind.key] = _rows(queryset, kind, user.pk)
        for column in kind.links:
            linked = _linked_names(queryset, kind, column, user.pk)
            for row in rows:
                row[column] = linked.get(row["id"], [])
        if kind.parent and kind.parent.nested_as:
            by_parent: dict = {}
            for row in rows:
                by_parent.setdefault(row.pop(kind.parent.column), []).append(row)
            for parent in rows_of[kind.parent.key]:
                parent[kind.parent.nested_as] = by_parent.get(parent["id"], [])
        else:
            data[kind.key] = rows
    return data


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


def _csv_files(data: dict) -> dict[str, str]:
    """One CSV per kind; the settings of every app share one row in account.csv."""
    settings: dict = {}
    files: dict[str, str] = {}
    for kind in kinds():
        if kind.shape is Shape.SETTINGS:
            settings.update(data[kind.key])
        elif kind.shape is Shape.NAMES:
            (column,) = kind.columns
            names = [{column: name} for name in data[kind.key]]
            files[f"{kind.key}.csv"] = _csv(names, [column])
        elif kind.parent and kind.parent.nested_as:
            # Written flat, each row naming its parent.
            rows = [
                {kind.parent.column: parent["id"], **row}
                for parent in data[kind.parent.key]
                for row in parent[kind.parent.nested_as]
            ]
            files[f"{kind.key}.csv"] = _csv(rows, [*kind.columns, *kind.links])
        else:
            files[f"{kind.key}.csv"] = _csv(data[kind.key], [*kind.columns, *kind.links])
    files["account.csv"] = _csv([settings], list(settings))
    return files


def export_csv_zip(user) -> bytes:
    """The same data as spreadsheets: one CSV per kind, in one zip file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _csv_files(export_data(user)).items():
            # A byte-order mark lets spreadsheet programs read the UTF-8 correctly.
            archive.writestr(f"riverwise/{name}", "\ufeff" + text)
    return buffer.getvalue()


def export_file_name(user, extension: str) -> str:
    return f"riverwise-{user.local_today():%Y-%m-%d}.{extension}"
