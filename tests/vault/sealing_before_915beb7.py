"""`vault/migrating._convert` as it was before 915beb7, kept to reproduce what it
did: on PostgreSQL it sealed a JSON column's *text*, so a dict was sealed as a
string holding its JSON. practices 0006 and portability 0003 ran through it.

Copied unchanged from `git show 915beb7^:vault/migrating.py`; only the imports
are spelled out. Tests only: never use it to seal anything.
"""

import json

from django.db import transaction

from vault.crypto import is_sealed, open_text, seal_text
from vault.keyring import keys_for
from vault.migrating import BATCH_SIZE, _place


def _convert(apps, schema_editor, label, text, json_fields, *, seal: bool) -> None:
    model = apps.get_model(label)
    table = model._meta.db_table
    columns = [model._meta.get_field(name).column for name in (*text, *json_fields)]
    json_columns = {model._meta.get_field(name).column for name in json_fields}
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    json_cast = "::jsonb" if connection.vendor == "postgresql" else ""
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
            for row_id, owner_id, public_id, *values in rows:
                data_key = keys_for(owner_id).data_key
                changes = {}
                for column, value in zip(columns, values, strict=True):
                    is_json = column in json_columns
                    if is_json and isinstance(value, str) and connection.vendor != "postgresql":
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
                if changes:
                    assignments = ", ".join(
                        f"{quote(c)} = %s{json_cast if c in json_columns else ''}" for c in changes
                    )
                    cursor.execute(
                        f"UPDATE {quote(table)} SET {assignments} WHERE id = %s",
                        [*changes.values(), row_id],
                    )
            last_id = rows[-1][0]
