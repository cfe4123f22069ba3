from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.management.commands.create_demo_account import DEMO_EMAIL
from accounts.models import User
from practices.models import PracticeSession
from progress.sample import build_history, save_history


class Command(BaseCommand):
    help = (
        "Fill an account (the demo account by default) with a few months of sample history. "
        "Running it again adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", default=DEMO_EMAIL)
        length = parser.add_mutually_exclusive_group()
        length.add_argument("--days", type=int, default=120)
        length.add_argument("--years", type=int, help="Whole years of history, e.g. 5.")

    def handle(self, *args, email, days, years=None, **options):
        if years is not None:
            if years < 1:
                raise CommandError("--years must be at least 1.")
            days = years * 365
        user = User.objects.filter(email=User.objects.normalize_email(email)).first()
        if user is None:
            raise CommandError(f"There is no account for {email}.")
        if days < 1:
            raise CommandError("--days must be at least 1.")
        # Seeded before, or already used for real: leave the history as it is.
        if PracticeSession.objects.for_user(user).exists():
            self.stdout.write(f"{user.email} already has practice history; nothing added.")
            return
        today = user.local_today()
        # Up to yesterday: today is left for the person to practise.
        history = build_history(user, today - timedelta(days=days), today - timedelta(days=1))
        with transaction.atomic():
            save_history(history)
        if options["verbosity"] > 0:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Added {history.row_count} sample records over {days} days to {user.email}."
                )
            )
