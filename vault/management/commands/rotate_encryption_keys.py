"""Re-wrap every person's data key under the current key-encryption key.

Put the new key first in ENCRYPTION_KEYS (keep the old ones after it), deploy,
run this, then remove the old keys. Sealed text is untouched: only the small
wrapped keys change, one compare-and-set each, in short batches, so the site
keeps running and a second run (or two at once) changes nothing twice.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from vault.models import DataKey, current_kek


class Command(BaseCommand):
    help = "Re-wrap every data key under the current (first) key in ENCRYPTION_KEYS."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size: int, **options):
        kek = current_kek()
        rewrapped, after_user = 0, 0
        while True:
            with transaction.atomic():
                batch = list(
                    DataKey.objects.not_under_current_key()
                    .filter(user_id__gt=after_user)
                    .order_by("user_id")[:batch_size]
                )
                if not batch:
                    break
                rewrapped += sum(key.rewrap_under_current() for key in batch)
                after_user = batch[-1].user_id
        left = DataKey.objects.not_under_current_key().count()
        self.stdout.write(f"Re-wrapped {rewrapped} data keys under {kek.key_id!r}.")
        if left:
            self.stdout.write(f"{left} are still under older keys: run again.")
        else:
            self.stdout.write("None is left under an older key: those can leave ENCRYPTION_KEYS.")
