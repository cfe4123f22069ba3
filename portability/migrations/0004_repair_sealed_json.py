"""Mend pending imports that 0003 sealed on PostgreSQL as a string holding their
JSON, so they open as the dict they were (vault/migrating.py)."""

from django.db import migrations

from vault.migrating import repairing_json


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("vault", "0001_initial"),
        ("portability", "0003_seal_pending_imports"),
    ]

    operations = [
        repairing_json("portability.PendingImport", json_fields=("payload",)),
    ]
