"""Recovery codes made before now were stored as a plain SHA-256 (16 hex): anyone with
a copy of the database could test guesses. Each stored value is now keyed: the same
HMAC that mfa.models.peppered applies to a typed code's unkeyed digest, with the
SECRET_KEY of the migrating server, so codes people hold keep working, once each.

The formula is written out here (not imported) because a migration must keep doing
what it did when it first ran. It can't be undone: the unkeyed digests are gone.
"""

from django.conf import settings
from django.db import migrations
from django.utils.crypto import salted_hmac

BATCH = 1000


def peppered(unkeyed: str, secret: str) -> str:
    tag = salted_hmac("mfa.recovery-code-key", "", secret=secret, algorithm="sha256")
    mac = salted_hmac("mfa.recovery-code", unkeyed, secret=secret, algorithm="sha256")
    return tag.hexdigest()[:4] + mac.hexdigest()[:12]


def pepper_recovery_codes(apps, schema_editor):
    StaticToken = apps.get_model("otp_static", "StaticToken")
    batch = []
    for token in StaticToken.objects.only("token").iterator(chunk_size=BATCH):
        token.token = peppered(token.token, settings.SECRET_KEY)
        batch.append(token)
        if len(batch) == BATCH:
            StaticToken.objects.bulk_update(batch, ["token"])
            batch = []
    StaticToken.objects.bulk_update(batch, ["token"])


class Migration(migrations.Migration):
    dependencies = [
        ("mfa", "0001_initial"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(pepper_recovery_codes, elidable=False)]
