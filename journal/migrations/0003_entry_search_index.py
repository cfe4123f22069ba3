"""A GIN index for full-text search of entry text, on PostgreSQL only.

The expression must stay identical to `journal.search.entry_search_vector()`
as Django compiles it, or PostgreSQL will not use the index. SQLite has no
full-text index here; search there falls back to plain matching.
"""

from django.db import migrations

INDEX_NAME = "journal_entry_body_search"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON journal_journalentry "
        "USING gin (to_tsvector('english'::regconfig, COALESCE(body, '')))"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [("journal", "0002_emotion_vocabulary")]

    operations = [migrations.RunPython(create_index, drop_index)]
