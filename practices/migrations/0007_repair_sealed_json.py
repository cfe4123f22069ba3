"""Mend grounding and SIFT answers that 0006 sealed on PostgreSQL as a string
holding their JSON, so they open as the dict they were (vault/migrating.py)."""

from django.db import migrations

from vault.migrating import repairing_json


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("vault", "0001_initial"),
        ("practices", "0006_seal_session_text"),
    ]

    operations = [
        repairing_json("practices.PracticeSession", json_fields=("grounding_answers",)),
    ]
