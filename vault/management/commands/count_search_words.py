"""Give search tokens made before the index kept counts their sealed counts.

Until a row's tokens carry counts, the search opens that row's text to rank it
(correct, but slower over years of entries). This re-indexes those rows, in
short batches, so the site keeps running; a second run finds nothing to do.
Beat does the same a few thousand rows at a time (vault.tasks), so an upgraded
site catches up by itself; the command does it all at once.
"""

from django.core.management.base import BaseCommand

from vault.blind_index import count_uncounted_rows


class Command(BaseCommand):
    help = "Re-index the searchable rows whose search tokens have no sealed counts yet."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size: int, **options):
        counted = count_uncounted_rows(batch_size)
        self.stdout.write(f"Counted the words of {counted} rows for search.")
