"""Seal the last plain text a person writes: tag names, the relationship a rupture
was with, and the signs of their window of tolerance.

Tags and window maps get a public id first (a sealed value is bound to its row's),
each row its own. A tag's name is then found and kept unique by a keyed
fingerprint (`name_key`) instead of by the name itself.

Not atomic: each batch commits on its own (vault/migrating.py), so a long table
is never locked whole, and a re-run skips what is sealed. It reverses.
"""

import uuid

import django.core.validators
import journal.models
import vault.fields
from django.db import migrations, models

from vault.migrating import filling_public_ids, keying, sealing


def public_id(**options):
    return models.UUIDField(editable=False, **options)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("journal", "0007_seal_written_text"),
        ("vault", "0001_initial"),
    ]

    operations = [
        # A public id for every tag and window map: nullable, filled row by row, then unique.
        migrations.AddField(model_name="tag", name="public_id", field=public_id(null=True)),
        migrations.AddField(model_name="windowmap", name="public_id", field=public_id(null=True)),
        filling_public_ids("journal.Tag"),
        filling_public_ids("journal.WindowMap"),
        migrations.AlterField(
            model_name="tag",
            name="public_id",
            field=public_id(default=uuid.uuid4, unique=True),
        ),
        migrations.AlterField(
            model_name="windowmap",
            name="public_id",
            field=public_id(default=uuid.uuid4, unique=True),
        ),
        # Names are found by their fingerprint from now on, and sorted in Python.
        migrations.AlterModelOptions(name="tag", options={}),
        migrations.AddField(
            model_name="tag",
            name="name_key",
            field=vault.fields.EqualityKeyField(max_length=16, null=True, of="name"),
        ),
        migrations.RemoveConstraint(model_name="tag", name="journal_tag_unique_per_user"),
        migrations.AlterField(
            model_name="tag",
            name="name",
            field=vault.fields.EncryptedTextField(
                max_length=40, validators=[django.core.validators.MaxLengthValidator(40)]
            ),
        ),
        migrations.AlterField(
            model_name="rupture",
            name="relationship",
            field=vault.fields.EncryptedTextField(
                max_length=60, validators=[django.core.validators.MaxLengthValidator(60)]
            ),
        ),
        migrations.AlterField(
            model_name="windowmap",
            name="above_signs",
            field=vault.fields.EncryptedJSONField(
                blank=True, default=list, validators=[journal.models.validate_signs]
            ),
        ),
        migrations.AlterField(
            model_name="windowmap",
            name="below_signs",
            field=vault.fields.EncryptedJSONField(
                blank=True, default=list, validators=[journal.models.validate_signs]
            ),
        ),
        keying("journal.Tag", of="name", key_field="name_key"),
        sealing("journal.Tag", text=("name",)),
        # The rupture's search index already holds the relationship's stems.
        sealing("journal.Rupture", text=("relationship",)),
        sealing("journal.WindowMap", json_fields=("above_signs", "below_signs")),
        migrations.AlterField(
            model_name="tag",
            name="name_key",
            field=vault.fields.EqualityKeyField(max_length=16, of="name"),
        ),
        migrations.AddConstraint(
            model_name="tag",
            constraint=models.UniqueConstraint(
                fields=("user", "name_key"),
                name="journal_tag_name_key_unique_per_user",
                violation_error_message="You already have this tag.",
            ),
        ),
    ]
