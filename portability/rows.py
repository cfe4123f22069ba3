"""Reading a file's rows into unsaved model instances, each checked by its
model's own `full_clean`, collecting every problem with where it is."""

import uuid
from collections import Counter

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

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
        self.checked: dict[tuple, ValidationError | None] = {}

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
        # model's field rules, its clean() and its check constraints.
        errors: dict = {}
        try:
            item.instance.full_clean(
                exclude=unset, validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            # As full_clean does, only fields that passed their own checks.
            self.check_constraints(item.instance, unset | set(errors))
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            self.report(where, ValidationError(errors))
        return item

    def check_constraints(self, instance, exclude: set[str]) -> None:
        """The model's own validate_constraints, asking the database once for each
        distinct set of values a check constraint reads: a file repeats the same
        few ratings thousands of times, and each check is a query."""
        errors: dict = {}
        for constraint in type(instance)._meta.constraints:
            key = None
            if isinstance(constraint, models.CheckConstraint):
                names = sorted(constraint.condition.referenced_base_fields)
                values = tuple(getattr(instance, name, None) for name in names)
                # A value that can't be a key (a dict) is simply asked about each time.
                key = (type(instance), constraint.name, values) if _hashable(values) else None
                if key in self.checked:
                    if self.checked[key] is not None:
                        errors = self.checked[key].update_error_dict(errors)
                    continue
            try:
                constraint.validate(type(instance), instance, exclude=exclude)
                found = None
            except ValidationError as error:
                found = error
                errors = error.update_error_dict(errors)
            if key is not None and not exclude.intersection(names):
                self.checked[key] = found
        if errors:
            raise ValidationError(errors)

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
        items = [item for row, where in rows if (item := self.read_row(kind, row, where))]
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
        for name, messages in error.message_dict.items():
            label = "" if name == NON_FIELD_ERRORS else f"{name.replace('_', ' ')}: "
            self.problem(where, label + " ".join(messages))
