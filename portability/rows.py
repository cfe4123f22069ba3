"""Reading a file's rows into unsaved model instances, each checked by its
model's own `full_clean`, collecting every problem with where it is."""

import sqlite3
import uuid
from collections import Counter
from typing import cast

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, connections, models, router, transaction
from django.db.models import BooleanField, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.sql import Query

from portability.plan import Item
from portability.reading import field_value, list_of_rows
from portability.reading import words as read_words
from portability.registry import Kind, kinds


def file_id(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def kind_named(key: str) -> Kind:
    return next(kind for kind in kinds() if kind.key == key)


class RowReader:
    """Reads the rows of one file, kind by kind."""

    def __init__(self, data: dict):
        self.data = data
        self.problems: list[str] = []
        self.file_ids: dict[str, set] = {}  # kind -> every id in the file
        self.catalogues: dict[tuple, dict] = {}
        self.waiting: list[tuple[int, Item]] = []  # (place among the problems, item)

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def catalogue(self, model, by: str, related: tuple[str, ...] = ()) -> dict:
        if (model, by) not in self.catalogues:
            found = model.objects.prefetch_related(*related).in_bulk(field_name=by)
            self.catalogues[model, by] = found
        return self.catalogues[model, by]

    def words(self, row: dict, column: str, max_length: int, where: str) -> list[str]:
        found = read_words(row.get(column, []), max_length)
        if found is None:
            self.problem(where, f"{column.replace('_', ' ')}: this should be a list of words.")
        return found or []

    def file_rows(self, kind: Kind) -> list[tuple[dict, str]]:
        """(row, where it is) for each of the kind's rows, nested ones included."""
        if not (kind.parent and kind.parent.nested_as):
            rows = list_of_rows(self.data, kind.key)
            return [(row, f"{kind.label}, item {index + 1}") for index, row in enumerate(rows)]
        parent, nested_as = kind_named(kind.parent.key), kind.parent.nested_as
        found = []
        for index, parent_row in enumerate(list_of_rows(self.data, parent.key)):
            where, nested = f"{parent.label}, item {index + 1}", parent_row.get(nested_as, [])
            if not isinstance(nested, list) or not all(isinstance(row, dict) for row in nested):
                self.problem(where, f"{nested_as}: this should be a list of items.")
                continue
            found += [({**row, kind.parent.column: parent_row.get("id")}, where) for row in nested]
        return found

    def read_row(self, kind: Kind, row: dict, where: str) -> Item | None:
        """The row as an unsaved instance checked by its model, or None if it can't be."""
        meta, item = kind.model._meta, Item(kind.model(), where)
        # Set when saving: the owner and the parent. Set from a catalogue just read: known rows.
        unset = {"user"}
        for column, lookup in kind.columns.items():
            if "__" in lookup:
                unset.add(lookup.split("__")[0])
                continue
            try:
                setattr(item.instance, lookup, field_value(meta.get_field(lookup), row, column))
            except ValidationError as error:
                self.problem(where, f"{column.replace('_', ' ')}: {' '.join(error.messages)}")
                unset.add(lookup)
        if kind.parent:
            item.parent = file_id(row.get(kind.parent.column))
            if item.parent not in self.file_ids[kind.parent.key]:
                self.problem(where, f"it belongs to a {kind.parent.noun} that isn't in the file.")
                return None
        for column, catalogue in kind.catalogues.items():
            name, by = kind.columns[column].split("__")
            known = self.catalogue(meta.get_field(name).related_model, by, catalogue.related)
            value = row.get(column)
            if not isinstance(value, str) or value not in known:
                self.problem(where, f"we don't know the {catalogue.noun} “{value}”.")
                return None
            setattr(item.instance, name, known[value])
        for column, max_length in kind.word_lists.items():
            setattr(item.instance, column, self.words(row, column, max_length, where))
        for column, link in kind.links.items():
            model = meta.get_field(column).related_model
            names = self.words(row, column, model._meta.get_field(link.by).max_length, where)
            names = list(dict.fromkeys(names))
            if not link.create:
                known = self.catalogue(model, link.by)
                for name in names:
                    if name not in known:
                        self.problem(where, f"we don't know the {link.noun} “{name}”.")
                names = [known[name] for name in names if name in known]
            item.links[column] = names
        # Matching against rows already stored is the engine's own, so this runs the
        # model's field rules and its clean(); items() asks its check constraints.
        try:
            item.instance.full_clean(
                exclude=unset, validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            item.errors = error.update_error_dict(item.errors)
        # As full_clean does, constraints only read fields that passed their own checks.
        item.unchecked = unset | set(item.errors)
        # Reported once the constraints are asked, in this row's place among the problems.
        self.waiting.append((len(self.problems), item))
        return item

    def items(self, kind: Kind) -> list[Item]:
        """Every row of the kind that could be read, each checked on its own and
        against the other rows of the file."""
        rows = self.file_rows(kind)
        if kind.has_ids:
            counts = Counter(str(row.get("id")) for row, _ in rows)
            for row, where in rows:
                if counts[str(row.get("id"))] > 1:
                    self.problem(where, "this id appears more than once in the file.")
            self.file_ids[kind.key] = {file_id(row.get("id")) for row, _ in rows}
        self.waiting = []
        items = [item for row, where in rows if (item := self.read_row(kind, row, where))]
        for constraint in kind.model._meta.constraints:
            if isinstance(constraint, models.CheckConstraint):
                check_in_batches(constraint, kind.model, items)
        for place, item in reversed(self.waiting):
            self.problems[place:place] = self.messages(item.where, item.errors)
        self.check_unique_in_file(kind, items)
        return items

    def check_unique_in_file(self, kind: Kind, items: list[Item]) -> None:
        if not kind.unique_in_file:
            return
        names, message = kind.unique_in_file
        parent_column = kind.parent.column if kind.parent else None
        seen: set = set()
        for item in items:
            values = {
                name: item.parent if name == parent_column else getattr(item.instance, name)
                for name in names
            }
            key = tuple(values.values())
            if None not in key and key in seen:
                self.problem(item.where, message.format(**values))
            seen.add(key)

    def report(self, where: str, error: ValidationError) -> None:
        self.problems += self.messages(where, error.update_error_dict({}))

    @staticmethod
    def messages(where: str, errors: dict) -> list[str]:
        found = []
        for name, messages in ValidationError(errors).message_dict.items():
            label = "" if name == NON_FIELD_ERRORS else f"{name.replace('_', ' ')}: "
            found.append(f"{where}: {label}{' '.join(messages)}")
        return found


# Sets of values asked about in one query, at most (SQLite may allow fewer).
CHECKS_PER_QUERY = 1000


def _most_in_one_query(connection) -> tuple[int, int]:
    """How many parameters, and how many SELECTs joined by UNION ALL, one query
    may hold here. SQLite says its own (Django assumes its oldest: 999 parameters)."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        raw = connection.connection
        return (
            raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER),
            raw.getlimit(sqlite3.SQLITE_LIMIT_COMPOUND_SELECT),
        )
    return connection.features.max_query_params or 10**6, CHECKS_PER_QUERY


def check_in_batches(constraint: models.CheckConstraint, model, items: list[Item]) -> None:
    """The model's own check constraint for a whole kind, in a few queries.

    Django's validate() asks the database once per row; a 10 MB file can hold a
    hundred thousand rows. Here each distinct set of values is asked once, up to a
    thousand to a query, and only the ones that fail go through validate() for
    the model's own message.
    """
    names = cast(Q, constraint.condition).referenced_base_fields
    asked: dict[object, list[Item]] = {}
    for item in items:
        if not item.unchecked.intersection(names):
            values = tuple(getattr(item.instance, name) for name in sorted(names))
            asked.setdefault(values if _hashable(values) else id(item), []).append(item)
    groups = list(asked.values())
    # Each set of values is a parameter per field, and the condition's constants.
    most_params, most_selects = _most_in_one_query(connections[router.db_for_read(model)])
    per_query = max(1, min(CHECKS_PER_QUERY, most_selects, most_params // (2 * len(names) + 2)))
    for start in range(0, len(groups), per_query):
        batch = groups[start : start + per_query]
        for index in _failing(constraint, model, [group[0] for group in batch]):
            first = batch[index][0]
            try:
                constraint.validate(model, first.instance, exclude=first.unchecked)  # type: ignore[attr-defined]
            except ValidationError as error:
                for item in batch[index]:
                    item.errors = error.update_error_dict(item.errors)


def _failing(constraint: models.CheckConstraint, model, items: list[Item]) -> set[int]:
    """Which of these items' values the condition refuses: Q.check's own query for
    each, joined with UNION ALL so the database answers them all at once."""
    connection = connections[router.db_for_read(model)]
    selects, params = [], []
    for index, item in enumerate(items):
        against = item.instance._get_field_expression_map(meta=model._meta, exclude=item.unchecked)
        query = Query(None)
        for name, value in against.items():
            query.add_annotation(value, name, select=False)
        query.add_annotation(Value(1), "_check")
        condition = constraint.condition
        if connection.features.supports_comparing_boolean_expr:
            condition = Q(Coalesce(condition, True, output_field=BooleanField()))
        query.add_q(cast(Q, condition))
        sql, query_params = query.get_compiler(connection=connection).as_sql()
        selects.append(f"SELECT {index} AS passed FROM ({sql}) AS check_{index}")
        params += query_params
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(selects), params)
            passed = {row[0] for row in cursor.fetchall()}
    except DatabaseError:
        # As Q.check: values the database can't compare are asked one by one.
        passed = {i for i, item in enumerate(items) if _passes(constraint, model, item)}
    return set(range(len(items))) - passed


def _passes(constraint: models.CheckConstraint, model, item: Item) -> bool:
    try:
        constraint.validate(model, item.instance, exclude=item.unchecked)  # type: ignore[attr-defined]
    except ValidationError:
        return False
    return True
