"""The kinds of rows a person's data file holds, declared by the apps that keep them.

Each app says what it keeps in its own `portability.py` (accounts, journal,
practices, reminders), which `PortabilityConfig.ready()` imports; the export
and the import engine read only these declarations. Adding a field to a model
means adding its column to the owning app's Kind, or naming it in `left_out`
(tests/portability/test_export.py checks that every field is one or the other).

An app's portability.py imports this module only, never the engine: the
engine imports the apps, not the other way round.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from django.core.exceptions import ImproperlyConfigured


class Shape(Enum):
    ROWS = "rows"  # a list of rows, each with its own id
    SETTINGS = "settings"  # one set of values per account
    NAMES = "names"  # a list of the person's own names (tags), made as needed


@dataclass(frozen=True)
class Parent:
    """The kind these rows belong to: their rows come and go with the parent's."""

    key: str  # the parent kind
    column: str  # the column holding the parent's id
    noun: str = ""  # in "it belongs to a reminder that isn't in the file."
    nested_as: str = ""  # the list inside each parent row that holds these rows, if any


@dataclass(frozen=True)
class Catalogue:
    """A column naming a shared row by a natural key (a practice's slug, a feeling word)."""

    noun: str  # in "we don't know the practice “x”."
    # Fetched along with each catalogue row, for the model's own checks.
    related: tuple[str, ...] = ()


@dataclass(frozen=True)
class Link:
    """A many-to-many field written as a list of names."""

    by: str  # the name field of the linked model
    noun: str = ""  # a shared list of names: an unknown one is a problem
    create: bool = False  # the person's own names: the import makes any that are missing


@dataclass(frozen=True, eq=False)
class Kind:
    """One kind of data in the file: its name there, its model and its columns,
    and what the import needs to know to bring its rows back."""

    key: str  # its name in the file
    label: str  # its name in what the person reads
    # Any model whose manager's queryset is an OwnedQuerySet (accounts.ownership);
    # typed loosely because the registry holds every app's models.
    model: Any
    # Column in the file -> ORM lookup on the model ("practice" -> "practice__slug").
    columns: dict[str, str]
    # Kinds are exported and imported in this order: a row's parent and linked names first.
    order: int
    shape: Shape = Shape.ROWS
    # Model fields written in no column: handled another way, or left out on purpose.
    left_out: frozenset[str] = frozenset()
    export_order: tuple[str, ...] = ()
    parent: Parent | None = None
    catalogues: dict[str, Catalogue] = field(default_factory=dict)
    links: dict[str, Link] = field(default_factory=dict)
    # JSON columns holding a list of short words, with the longest a word may be.
    word_lists: dict[str, int] = field(default_factory=dict)
    # Fields stamped on insert (auto_now) whose value in the file is the true one.
    keep_times: tuple[str, ...] = ()
    # The account keeps one row per value of this field; on a clash its own row is kept.
    one_per: str | None = None
    # Rows without ids whose whole meaning is this field: a value the account has
    # is the same row, already here (a rest day on a date is that rest day).
    already_here_by: str | None = None
    # Fields whose values may appear together once only in the file, and the problem said.
    unique_in_file: tuple[tuple[str, ...], str] | None = None
    # A field unique per account that is simply renewed when the account has the value.
    fresh_if_taken: str | None = None
    most_per_person: int | None = None
    day: str | None = None  # the field giving a row's day, for "It covers ... to ..."
    # Settings: the fields an import may restore.
    restore: tuple[str, ...] = ()
    # Rows the import leaves out (e.g. emails still waiting to be sent): counted, not added.
    importable: Callable[[Any], bool] | None = None
    # Run on each new row just before it is saved, its owner set.
    prepare: Callable[[Any], None] | None = None
    # Settings: (what, new value) in words, for each value the import would change.
    describe: Callable[[Any, dict], list[tuple[str, str]]] | None = None

    @property
    def fields_covered(self) -> set[str]:
        return (
            {lookup.split("__")[0] for lookup in self.columns.values()}
            | set(self.links)
            | set(self.left_out)
        )

    @property
    def has_ids(self) -> bool:
        return "id" in self.columns and self.shape is Shape.ROWS


_kinds: dict[str, Kind] = {}
_left_out_models: dict[str, str] = {}


def same_names(*names: str) -> dict[str, str]:
    """Columns named in the file as their fields are on the model."""
    return {name: name for name in names}


def register(*kinds: Kind) -> None:
    for kind in kinds:
        if kind.key in _kinds and _kinds[kind.key] is not kind:
            raise ImproperlyConfigured(f"Two portability kinds are called {kind.key!r}.")
        _kinds[kind.key] = kind


def leave_out(label: str, reason: str) -> None:
    """Say that a model holding a person's rows is deliberately not in the file, and why."""
    _left_out_models[label] = reason


def kinds() -> list[Kind]:
    """Every kind, parents before their rows."""
    ordered = sorted(_kinds.values(), key=lambda kind: kind.order)
    seen: set[str] = set()
    for kind in ordered:
        if kind.parent and kind.parent.key not in seen:
            raise ImproperlyConfigured(f"{kind.key} must come after its parent {kind.parent.key}.")
        seen.add(kind.key)
    return ordered


def left_out_models() -> dict[str, str]:
    return dict(_left_out_models)
