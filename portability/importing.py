"""The import engine: check a whole file against an account, show what would be
added, then add it all in one transaction, or nothing.

It knows no kind by name: it walks the kinds the apps declare (see registry);
rows.RowReader checks each row with its model's own `full_clean`, so a rule
lives on the model, once, for forms, imports and the database alike; and
applying.apply_plan writes what the plan found new.

Rows are matched by their stable ids (the "id" written by the export), so
importing the same file twice adds nothing the second time. A row whose id
is not this account's is new here. If someone else's row has that id, the
copy gets an id of its own, derived from the account and the file's id (so a
second import still finds it), and the import says exactly what it says for an
id nobody has: what it tells never depends on other people's rows.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import models

from portability.applying import apply_plan
from portability.plan import ImportPlan, Item, KindPlan
from portability.reading import ImportProblem, field_value, refuse_unstorable_text
from portability.registry import Kind, Shape, kinds
from portability.rows import RowReader

# Names the ids given to copies of rows whose id is taken by another account.
COPY_ID_NAMESPACE = uuid.UUID("5b1c7f3e-2f7d-4a51-9a55-0d3c6f6f1e21")
ID_BATCH = 2000

__all__ = ["ImportPlan", "ImportProblem", "apply_plan", "plan_import"]


def plan_import(user, data: dict, *, restore_settings: bool = True) -> ImportPlan:
    """Check the whole file against the account. Raises ImportProblem listing what's wrong."""
    refuse_unstorable_text(data)
    planner = Planner(user, data)
    for kind in kinds():
        if kind.shape is Shape.ROWS:
            planner.plan_rows(kind)
    for kind in kinds():
        if kind.shape is Shape.NAMES:
            planner.plan_names(kind)
        elif kind.shape is Shape.SETTINGS and restore_settings:
            planner.plan_settings(kind)
    if planner.reader.problems:
        raise ImportProblem(
            "Some items in this file can't be read, so nothing was imported. "
            "If you changed the file by hand, undo those changes and try again.",
            planner.reader.problems,
        )
    if planner.days:
        planner.plan.first_day, planner.plan.last_day = min(planner.days), max(planner.days)
    return planner.plan


class Planner:
    """Sorts the file's rows into new, already here, and kept as the account has them."""

    def __init__(self, user, data: dict):
        self.user, self.data, self.reader = user, data, RowReader(data)
        account = data.get("account")
        account = account if isinstance(account, dict) else {}
        self.plan = ImportPlan(user, str(account.get("email", ""))[:254], _moment(data))
        self.new_ids: dict[str, set] = {}  # kind -> ids of the new rows (after renaming)
        self.renamed: dict[str, dict] = {}  # kind -> {file id: id given to its copy}
        self.days: list = []

    def plan_rows(self, kind: Kind) -> None:
        items = self.reader.items(kind)
        if kind.day:
            self.days += [day for item in items if (day := getattr(item.instance, kind.day))]
        plan = self.plan.kinds[kind.key] = KindPlan(kind)
        if kind.parent:
            renamed, new = self.renamed[kind.parent.key], self.new_ids[kind.parent.key]
            for item in items:
                item.parent = renamed.get(item.parent, item.parent)
            # The rows of a parent already here are already here too.
            plan.already_here = sum(item.parent not in new for item in items)
            items = [item for item in items if item.parent in new]
        if kind.has_ids:
            items, already_here = self.split_by_owner(kind, items)
            plan.already_here += already_here
        elif field := kind.already_here_by:
            mine = kind.model.objects.for_user(self.user)
            taken = _values_in(mine, field, [getattr(item.instance, field) for item in items])
            fresh = [item for item in items if getattr(item.instance, field) not in taken]
            plan.already_here += len(items) - len(fresh)
            items = fresh
        plan.new = [item for item in items if not kind.importable or kind.importable(item.instance)]
        plan.not_imported = len(items) - len(plan.new)
        self.keep_the_accounts_own(kind, plan)

    def split_by_owner(self, kind: Kind, items: list[Item]) -> tuple[list[Item], int]:
        """(new rows, how many are already here).

        An id this account has is already here. Any other is new: it keeps the file's
        id when that is free, and otherwise gets an id derived from the account and
        the file's id, so importing the file again finds the copy. Which of the two
        happened shows nowhere in what the import says.
        """
        user_pk = self.user.pk
        copy_ids = {
            item.instance.public_id: uuid.uuid5(
                COPY_ID_NAMESPACE, f"{user_pk}:{item.instance.public_id}"
            )
            for item in items
        }
        owners = dict(
            _values_in(kind.model.objects, "public_id", [*copy_ids, *copy_ids.values()], "user_id")
        )
        new, renamed = [], self.renamed.setdefault(kind.key, {})
        for item in items:
            file_id = item.instance.public_id
            if user_pk in (owners.get(file_id), owners.get(copy_ids[file_id])):
                continue
            if file_id in owners:
                item.instance.public_id = renamed[file_id] = copy_ids[file_id]
            new.append(item)
        self.new_ids[kind.key] = {item.instance.public_id for item in new}
        return new, len(items) - len(new)

    def keep_the_accounts_own(self, kind: Kind, plan: KindPlan) -> None:
        mine = kind.model.objects.for_user(self.user)
        if field := kind.one_per:
            taken = _values_in(mine, field, [getattr(item.instance, field) for item in plan.new])
            kept = [item for item in plan.new if getattr(item.instance, field) not in taken]
            plan.kept_yours, plan.new = len(plan.new) - len(kept), kept
        if field := kind.fresh_if_taken:
            taken = _values_in(mine, field, [getattr(item.instance, field) for item in plan.new])
            for item in plan.new:
                if getattr(item.instance, field) in taken:
                    setattr(item.instance, field, uuid.uuid4())
                taken.add(getattr(item.instance, field))
        if kind.most_per_person is not None:
            total, name = mine.count() + len(plan.new), kind.label.lower()
            if total > kind.most_per_person:
                self.reader.problems.append(
                    f"{kind.label}: this would give you {total} {name}, and the most is "
                    f"{kind.most_per_person}. Delete some {name} first."
                )

    def plan_settings(self, kind: Kind) -> None:
        row = self.data.get(kind.key)
        if not isinstance(row, dict):
            return
        values = {}
        for name in kind.restore:
            if name in row:
                try:
                    values[name] = field_value(kind.model._meta.get_field(name), row, name)
                except ValidationError as error:
                    self.reader.report(kind.label, ValidationError({name: error.messages}))
        others = [field.name for field in kind.model._meta.get_fields() if field.name not in values]
        try:
            kind.model(**values).full_clean(exclude=others, validate_unique=False)
        except ValidationError as error:
            self.reader.report(kind.label, error)
        self.plan.settings[kind.key] = values

    def plan_names(self, kind: Kind) -> None:
        """The names in the file, and those new rows link to, that the account lacks."""
        (by,) = kind.columns.values()
        max_length = kind.model._meta.get_field(by).max_length
        wanted = set(self.reader.words(self.data, kind.key, max_length, kind.label))
        for plan in self.plan.kinds.values():
            for column, link in plan.kind.links.items():
                target = plan.kind.model._meta.get_field(column).related_model
                if link.create and target is kind.model:
                    wanted.update(name for item in plan.new for name in item.links[column])
        # Read whole: the names may be sealed, and a person has few.
        have = {getattr(row, by) for row in kind.model.objects.for_user(self.user)}
        self.plan.names[kind.key] = sorted(wanted - have)


def _moment(data: dict):
    try:
        return field_value(models.DateTimeField(), data, "exported_at")
    except ValidationError:
        return None


def _values_in(queryset, lookup: str, values: list, *also: str):
    """Which of `values` the queryset has in `lookup` (a set), or (value, *also) rows."""
    found: list = []
    for start in range(0, len(values), ID_BATCH):
        batch = queryset.filter(**{f"{lookup}__in": values[start : start + ID_BATCH]})
        found += batch.values_list(lookup, *also) if also else batch.values_list(lookup, flat=True)
    return found if also else set(found)
