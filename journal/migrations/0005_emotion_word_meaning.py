from django.db import migrations, models

from journal.vocabulary import sync_vocabulary


def fill_meanings(apps, schema_editor):
    sync_vocabulary(apps.get_model("journal", "EmotionWord"))


class Migration(migrations.Migration):
    dependencies = [("journal", "0004_note_limits_and_repair_rule_messages")]

    operations = [
        migrations.AddField(
            model_name="emotionword",
            name="meaning",
            field=models.CharField(blank=True, max_length=80),
        ),
        # Going back drops the column, and with it the meanings.
        migrations.RunPython(fill_meanings, migrations.RunPython.noop),
    ]
