"""How many unused recovery codes are under each key, before retiring an old one.

Recovery codes are stored keyed with SECRET_KEY (mfa/models.py). After a rotation
the old key stays in SECRET_KEY_FALLBACKS; removing it stops every code made under
it, so check here first that none is left (people use them, or make new ones).
"""

from django.core.management.base import BaseCommand

from mfa.models import recovery_codes_by_key


class Command(BaseCommand):
    help = "Count unused recovery codes under SECRET_KEY and each of SECRET_KEY_FALLBACKS."

    def handle(self, *args, **options):
        for name, count in recovery_codes_by_key().items():
            if name == "SECRET_KEY":
                self.stdout.write(f"{name}: {count} codes")
            elif name == "no key set":
                if count:
                    self.stdout.write(
                        f"{count} codes are under a key that is no longer set: they no longer "
                        "work. Put the key back in SECRET_KEY_FALLBACKS, or ask those people "
                        "to make new codes."
                    )
            elif count:
                self.stdout.write(f"{name}: {count} codes; keep this key until it has none.")
            else:
                self.stdout.write(f"{name}: no codes; it can go when nothing else needs it.")
