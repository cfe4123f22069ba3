"""Seal every text a person wrote with their data key, build the blind index,
and drop the full-text index (it would index ciphertext).

Not atomic: each batch commits on its own (vault/migrating.py), so a long
journal table is never locked whole, and a re-run skips what is sealed.
"""

import django.core.validators
import vault.fields
from django.db import migrations

from vault.migrating import sealing

OLD_INDEX = "journal_entry_body_search"


def drop_full_text_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")


def restore_full_text_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON journal_journalentry "
            "USING gin (to_tsvector('english'::regconfig, COALESCE(body, '')))"
        )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("journal", "0006_window_of_tolerance_and_look_back"),
        ("vault", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name='facesrating',
            name='note',
            field=vault.fields.EncryptedTextField(blank=True, max_length=5000, validators=[django.core.validators.MaxLengthValidator(5000)]),
        ),
        migrations.AlterField(
            model_name='integrationcheckin',
            name='note',
            field=vault.fields.EncryptedTextField(blank=True, max_length=5000, validators=[django.core.validators.MaxLengthValidator(5000)]),
        ),
        migrations.AlterField(
            model_name='journalentry',
            name='body',
            field=vault.fields.EncryptedTextField(blank=True, max_length=50000, validators=[django.core.validators.MaxLengthValidator(50000)]),
        ),
        migrations.AlterField(
            model_name='rupture',
            name='how_it_went',
            field=vault.fields.EncryptedTextField(blank=True, max_length=5000, validators=[django.core.validators.MaxLengthValidator(5000)]),
        ),
        migrations.AlterField(
            model_name='rupture',
            name='my_part',
            field=vault.fields.EncryptedTextField(blank=True, max_length=5000, validators=[django.core.validators.MaxLengthValidator(5000)]),
        ),
        migrations.AlterField(
            model_name='rupture',
            name='what_happened',
            field=vault.fields.EncryptedTextField(max_length=5000, validators=[django.core.validators.MaxLengthValidator(5000)]),
        ),
        migrations.RunPython(drop_full_text_index, restore_full_text_index),
        sealing("journal.JournalEntry", text=("body",), search_kind="entry", search_fields=("body",)),
        sealing("journal.FacesRating", text=("note",), search_kind="faces", search_fields=("note",)),
        sealing(
            "journal.IntegrationCheckIn", text=("note",), search_kind="checkin", search_fields=("note",)
        ),
        sealing(
            "journal.Rupture",
            text=("what_happened", "my_part", "how_it_went"),
            search_kind="rupture",
            search_fields=("relationship", "what_happened", "my_part", "how_it_went"),
        ),
    ]
