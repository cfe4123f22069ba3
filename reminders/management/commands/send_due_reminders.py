from django.core.management.base import BaseCommand

from reminders.tasks import run_tick


class Command(BaseCommand):
    help = "Run one reminder tick by hand: claim due reminders and hand them to the workers."

    def handle(self, *args, **options):
        counts = run_tick()
        self.stdout.write(
            "claimed={claimed} dispatched={dispatched} undispatched={undispatched} "
            "interrupted={interrupted}".format(**counts)
        )
