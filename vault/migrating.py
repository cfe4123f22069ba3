"""Data migrations that seal (or open again) columns of rows written before
encryption, in batches, and build their blind index.

Each batch commits on its own (the migration says `atomic = False`), so a
long table is never locked whole and an interrupted run resumes where it
stopped: values already sealed are left alone.
"""

import json
import uuid

from django.db import migrations, transaction

from vault.blind_index import equality_key, searchable_stems, tokens_for
from vault.crypto import UnreadableText, is_sealed, open_text, seal_text
from vault.keyring import keys_for

BATCH_SIZE = 500
# How deep `repairing_json` looks inside a value sealed as a string: one layer
# for each time the old sealing ran over the same row (a resumed run adds one).
REPAIR_LAYERS = 10


def sealing(
    model_label: str,
    *,
    text: tuple[str, ...] = (),
    json_fields: tuple[str, ...] = (),
    search_kind: str = "",
    search_fields: tuple[str, ...] = (),
):
    """A RunPython that seals `text` and `json_fields` of `model_label`, and reverses."""

    def forward(apps, schema_editor):
        _convert(apps, schema_editor, model_label, text, json_fields, seal=True)
        if search_kind:
            _index(apps, model_label, search_kind, search_fields)

    def backward(apps, schema_editor):
        _convert(apps, schema_editor, model_label, text, json_fields, seal=False)
        if search_kind:
            apps.get_model("vault", "SearchToken").objects.filter(kind=search_kind).delete()

    return migrations.RunPython(forward, backward, elidable=False)


def repairing_json(model_label: str, *, json_fields: tuple[str, ...]):
    """A RunPython that mends JSON values an older `sealing` sealed as a string
    holding their JSON text, in batches; backwards there is nothing to undo.

    Until 915beb7, `_convert` sealed a JSON column on PostgreSQL from the text
    Django's backend hands back, so `{"see": [...]}` was sealed as the string
    '{"see": [...]}' and the model opened a str. A run resumed after an
    interruption sealed such a value once more, so a sealed value may sit inside.

    Each sealed value of `json_fields` is opened; where it is a str that unwraps
    (reading it as JSON, and opening in the same place whatever is sealed inside)
    to a list or dict, that list or dict is sealed again in its place, as the
    model would seal it. A value that opens as it should, an unsealed one, or a
    str that unwraps to anything else is left as it is, so a second run (or a
    resumed one) changes nothing. On SQLite the old sealing read the column
    right, so there is nothing to mend and nothing changes. A stored value that
    does not open stops the run (a missing key is worth knowing about).
    """

    def forward(apps, schema_editor):
        _repair_json(apps, schema_editor, model_label, json_fields)

    return migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)


def keying(model_label: str, *, of: str, key_field: str):
    """A RunPython that fills `key_field` with the keyed fingerprint of each row's
    `of` (plain or already sealed), in batches; backwards it leaves the keys (the
    reversed AddField drops them)."""

    def forward(apps, schema_editor):
        _fill_keys(apps, schema_editor, model_label, of, key_field)

    return migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)


def filling_public_ids(model_label: str):
    """A RunPython giving each row of a table a public id of its own, in batches
    (AddField's one default would give every existing row the same one)."""

    def forward(apps, schema_editor):
        model = apps.get_model(model_label)
        while True:
            with transaction.atomic(using=schema_editor.connection.alias):
                rows = list(model.objects.filter(public_id__isnull=True)[:BATCH_SIZE])
                if not rows:
                    return
                for row in rows:
                    row.public_id = uuid.uuid4()
                model.objects.bulk_update(rows, ["public_id"])

    return migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)


def _batches(schema_editor, table: str, columns: list[str]):
    """(cursor, rows) for each batch of `(id, user_id, public_id, *columns)` of `table`,
    in id order; each batch is one transaction, written through its cursor."""
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    last_id = 0
    while True:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, user_id, public_id, {', '.join(quote(c) for c in columns)} "
                f"FROM {quote(table)} WHERE id > %s ORDER BY id LIMIT %s",
                [last_id, BATCH_SIZE],
            )
            rows = cursor.fetchall()
            if not rows:
                return
            yield cursor, rows
            last_id = rows[-1][0]


def _write(schema_editor, cursor, table: str, row_id, changes: dict, json_columns=()) -> None:
    """One row's new column values (JSON columns given as JSON text)."""
    if not changes:
        return
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    json_cast = "::jsonb" if connection.vendor == "postgresql" else ""
    assignments = ", ".join(
        f"{quote(c)} = %s{json_cast if c in json_columns else ''}" for c in changes
    )
    cursor.execute(
        f"UPDATE {quote(table)} SET {assignments} WHERE id = %s", [*changes.values(), row_id]
    )


def _fill_keys(apps, schema_editor, label, of, key_field) -> None:
    model = apps.get_model(label)
    table = model._meta.db_table
    column = model._meta.get_field(of).column
    key_column = model._meta.get_field(key_field).column
    for cursor, rows in _batches(schema_editor, table, [column]):
        for row_id, owner_id, public_id, value in rows:
            if is_sealed(value):
                place = _place(table, column, owner_id, public_id)
                value = open_text(keys_for(owner_id).data_key, value, place)
            key = equality_key(owner_id, f"{table}.{column}", value)
            _write(schema_editor, cursor, table, row_id, {key_column: key})


def _place(table: str, column: str, owner_id, row) -> str:
    return f"{table}.{column}|owner={owner_id}|row={uuid.UUID(str(row))}"


def _convert(apps, schema_editor, label, text, json_fields, *, seal: bool) -> None:
    model = apps.get_model(label)
    table = model._meta.db_table
    columns = [model._meta.get_field(name).column for name in (*text, *json_fields)]
    json_columns = {model._meta.get_field(name).column for name in json_fields}
    for cursor, rows in _batches(schema_editor, table, columns):
        for row_id, owner_id, public_id, *values in rows:
            data_key = keys_for(owner_id).data_key
            changes = {}
            for column, value in zip(columns, values, strict=True):
                is_json = column in json_columns
                if is_json and isinstance(value, str):
                    # Both backends give a JSON column back as its text: Django's
                    # PostgreSQL backend tells psycopg not to parse it (JSONField does).
                    value = json.loads(value)
                stored = value if isinstance(value, str) else None
                place = _place(table, column, owner_id, public_id)
                if seal and value not in (None, "") and not (stored and is_sealed(stored)):
                    plain = json.dumps(value) if is_json else value
                    sealed = seal_text(data_key, plain, place)
                    changes[column] = json.dumps(sealed) if is_json else sealed
                elif not seal and stored and is_sealed(stored):
                    plain = open_text(data_key, stored, place)
                    changes[column] = plain  # JSON text for JSON columns
            _write(schema_editor, cursor, table, row_id, changes, json_columns)


def _repair_json(apps, schema_editor, label, json_fields) -> None:
    model = apps.get_model(label)
    table = model._meta.db_table
    columns = [model._meta.get_field(name).column for name in json_fields]
    for cursor, rows in _batches(schema_editor, table, columns):
        for row_id, owner_id, public_id, *values in rows:
            changes = {}
            for column, value in zip(columns, values, strict=True):
                # The column's JSON text on both backends: a sealed value is a JSON string.
                stored = json.loads(value) if isinstance(value, str) else value
                if not (isinstance(stored, str) and is_sealed(stored)):
                    continue
                data_key = keys_for(owner_id).data_key
                place = _place(table, column, owner_id, public_id)
                meant = _meant_json(data_key, stored, place)
                if meant is not None:
                    sealed = seal_text(data_key, json.dumps(meant), place)
                    changes[column] = json.dumps(sealed)
            _write(schema_editor, cursor, table, row_id, changes, set(columns))


def _meant_json(data_key: bytes, sealed: str, place: str) -> list | dict | None:
    """The list or dict a sealed JSON value was meant to hold, when it opens as a
    str holding it; None when it opens as it should or holds anything else."""
    value = json.loads(open_text(data_key, sealed, place))
    if not isinstance(value, str):
        return None  # sealed right
    for _ in range(REPAIR_LAYERS):
        try:
            if is_sealed(value):
                value = open_text(data_key, value, place)
            value = json.loads(value)
        except (UnreadableText, ValueError):
            return None  # a str that only looks like JSON or a sealed value: the person's own
        if isinstance(value, list | dict):
            return value
        if not isinstance(value, str):
            return None
    return None


def _index(apps, label, kind, fields) -> None:
    model = apps.get_model(label)
    token_model = apps.get_model("vault", "SearchToken")
    last_id = 0
    while True:
        with transaction.atomic():
            rows = list(model.objects.filter(id__gt=last_id).order_by("id")[:BATCH_SIZE])
            if not rows:
                return
            ids = [row.public_id for row in rows]
            token_model.objects.filter(kind=kind, row_id__in=ids).delete()
            tokens = []
            for row in rows:
                text = "\n".join(str(getattr(row, field) or "") for field in fields)
                tokens += [
                    token_model(user_id=row.user_id, kind=kind, row_id=row.public_id, token=token)
                    for token in tokens_for(row.user_id, searchable_stems(text))
                ]
            token_model.objects.bulk_create(tokens)
            last_id = rows[-1].id
