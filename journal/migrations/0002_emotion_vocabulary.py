from django.db import migrations

from journal.vocabulary import sync_vocabulary


def load_vocabulary(apps, schema_editor):
    sync_vocabulary(apps.get_model("journal", "EmotionWord"))


class Migration(migrations.Migration):
    dependencies = [("journal", "0001_initial")]

    # Removing the migration leaves the words: entries may still point at them.
    operations = [migrations.RunPython(load_vocabulary, migrations.RunPython.noop)]
