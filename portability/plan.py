"""What an import would do: the plan the engine makes, and the preview kept with an upload."""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from portability import registry


@dataclass
class Item:
    """One row from the file: the unsaved instance, where it is in the file, its
    parent's id and what it links to."""

    instance: Any
    where: str = ""
    parent: uuid.UUID | None = None
    links: dict[str, list] = field(default_factory=dict)
    errors: dict = field(default_factory=dict)  # what the model's rules found
    unchecked: set[str] = field(default_factory=set)  # fields its constraints may not read


@dataclass
class KindPlan:
    kind: registry.Kind
    new: list[Item] = field(default_factory=list)
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
    user: Any
    source_email: str
    exported_at: datetime | None
    first_day: date | None = None
    last_day: date | None = None
    kinds: dict[str, KindPlan] = field(default_factory=dict)
    # Settings kind -> the values an import would restore.
    settings: dict[str, dict] = field(default_factory=dict)
    # Names kind -> the names the account doesn't have yet.
    names: dict[str, list[str]] = field(default_factory=dict)

    @property
    def total_new(self) -> int:
        return sum(len(plan.new) for plan in self.kinds.values())

    @property
    def total_already_here(self) -> int:
        return sum(plan.already_here for plan in self.kinds.values())

    @property
    def settings_changes(self) -> list[tuple[str, str]]:
        """(what, new value) for each setting the import would change, in words."""
        changes = []
        for kind in registry.kinds():
            if kind.describe and kind.key in self.settings:
                changes += kind.describe(self.user, self.settings[kind.key])
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
