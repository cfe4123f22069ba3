"""Seal what a person wrote here with their data key, in batches (vault/migrating.py)."""

import django.core.validators
import vault.fields
from django.db import migrations

from vault.migrating import sealing


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('vault', '0001_initial'),
        ('practices', '0005_rest_day'),
    ]

    operations = [
        migrations.AlterField(
            model_name='practicesession',
            name='grounding_answers',
            field=vault.fields.EncryptedJSONField(blank=True, default=dict),
        ),
        migrations.AlterField(
            model_name='practicesession',
            name='notes',
            field=vault.fields.EncryptedTextField(blank=True, max_length=5000, validators=[django.core.validators.MaxLengthValidator(5000)]),
        ),
        migrations.AlterField(
            model_name="practicesession",
            name="before_emotion",
            field=vault.fields.EncryptedTextField(
                blank=True,
                max_length=40,
                validators=[django.core.validators.MaxLengthValidator(40)],
            ),
        ),
        sealing(
            "practices.PracticeSession",
            text=("notes", "before_emotion"),
            json_fields=("grounding_answers",),
        ),
    ]
