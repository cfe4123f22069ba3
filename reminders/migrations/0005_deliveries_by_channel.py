# Each reminder goes by email, push or both: a delivery per (reminder, local day, channel).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reminders', '0004_rest_day_skips'),
    ]

    operations = [
        migrations.AddField(
            model_name='delivery',
            name='channel',
            field=models.CharField(choices=[('email', 'Email'), ('push', 'Push')], db_default='email', default='email', max_length=5),
        ),
        migrations.AddField(
            model_name='reminder',
            name='deliver_by',
            field=models.CharField(choices=[('email', 'Email'), ('push', 'Push notification'), ('both', 'Email and push notification')], db_default='email', default='email', max_length=5),
        ),
        migrations.AlterField(
            model_name='delivery',
            name='status',
            field=models.CharField(choices=[('pending', 'Waiting to send'), ('preparing', 'Preparing to send'), ('sending', 'Handed to the mail server'), ('sent', 'Sent'), ('skipped_done', "Skipped: you'd already done it"), ('skipped_paused', 'Skipped: reminders paused'), ('skipped_off', 'Skipped: reminder turned off'), ('skipped_rest', 'Skipped: a planned rest day'), ('skipped_no_device', 'Skipped: no device has push turned on'), ('failed', 'Could not be delivered')], default='pending', max_length=20),
        ),
        migrations.AddConstraint(
            model_name='delivery',
            constraint=models.UniqueConstraint(fields=('reminder', 'local_date', 'channel'), name='one_delivery_per_reminder_day_channel'),
        ),
        # Dropped only once the new guard is in place.
        migrations.RemoveConstraint(
            model_name='delivery',
            name='one_delivery_per_reminder_per_day',
        ),
    ]
