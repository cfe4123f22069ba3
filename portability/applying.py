"""Writing an import plan: everything it found new, in one transaction, or nothing."""

from django.db import IntegrityError, transaction

from portability.plan import ImportPlan, Item
from portability.reading import ImportProblem
from portability.registry import Kind, Shape, kinds
from vault.blind_index import index_new_rows


def apply_plan(plan: ImportPlan) -> None:
    """Write everything the plan found new, in one transaction."""
    user = plan.user
    try:
        with transaction.atomic():
            saved: dict[str, dict] = {}  # kind -> {id: pk}, for the rows that point at them
            for kind in kinds():
                if kind.shape is Shape.SETTINGS and plan.settings.get(kind.key):
                    _restore(user, kind, plan.settings[kind.key])
                elif kind.shape is Shape.NAMES:
                    (by,) = kind.columns.values()
                    names = plan.names.get(kind.key, [])
                    kind.model.objects.bulk_create(
                        [kind.model(user=user, **{by: n}) for n in names]
                    )
                elif kind.shape is Shape.ROWS:
                    saved[kind.key] = _add_rows(user, kind, plan.kinds[kind.key].new, saved)
    except IntegrityError:
        # Checked above, so this means the account changed in the meantime.
        raise ImportProblem(
            "Something in your account changed while importing, so nothing was imported. "
            "Please try again."
        ) from None


def _restore(user, kind: Kind, values: dict) -> None:
    if isinstance(user, kind.model):
        for name, value in values.items():
            setattr(user, name, value)
        # Saving the zone also moves the person's reminders (reminders app).
        user.save(update_fields=list(values))
    else:
        kind.model.objects.update_or_create(user=user, defaults=values)


def _add_rows(user, kind: Kind, items: list[Item], saved: dict[str, dict]) -> dict:
    meta = kind.model._meta
    parent = kind.parent
    parent_field = kind.columns[parent.column].split("__")[0] if parent else None
    for item in items:
        if any(field.name == "user" for field in meta.fields):
            item.instance.user = user
        if parent and parent_field:
            setattr(item.instance, f"{parent_field}_id", saved[parent.key][item.parent])
        if kind.prepare:
            kind.prepare(item.instance)
    instances = [item.instance for item in items]
    _create_keeping_times(kind.model, instances, kind.keep_times)
    # bulk_create sends no post_save: add the new rows to the search's blind index here.
    index_new_rows(instances)
    for column, link in kind.links.items():
        field = meta.get_field(column)
        through = field.remote_field.through
        source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
        if link.create:
            mine = {getattr(t, link.by): t for t in field.related_model.objects.for_user(user)}
        links = [
            through(**{source: item.instance.pk, target: (mine[name] if link.create else name).pk})
            for item in items
            for name in item.links[column]
        ]
        through.objects.bulk_create(links, batch_size=1000)
    return {instance.public_id: instance.pk for instance in instances if kind.has_ids}


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
