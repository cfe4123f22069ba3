"""Seal what a person wrote here with their data key, in batches (vault/migrating.py)."""

import vault.fields
from django.db import migrations

from vault.migrating import sealing


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('vault', '0001_initial'),
        ('portability', '0002_other_apps_history'),
    ]

    operations = [
        migrations.AlterField(
            model_name='pendingimport',
            name='payload',
            field=vault.fields.EncryptedJSONField(),
        ),
        sealing("portability.PendingImport", json_fields=("payload",)),
    ]
