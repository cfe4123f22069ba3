# The import holding area and the download/upload pacing tables now belong to
# the portability app. Only Django's idea of which app owns them changes: the
# tables, and every row in them, stay where they are (portability 0001 takes
# them over under the same names).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0003_import_summary_and_upload_pacing"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="PendingImport"),
                migrations.DeleteModel(name="DataExport"),
                migrations.DeleteModel(name="ImportUpload"),
            ],
            database_operations=[],
        ),
    ]
