"""Give search tokens made before the index kept counts their sealed counts.

Until a row's tokens carry counts, the search opens that row's text to rank it
(correct, but slower over years of entries). This re-indexes those rows, in
short batches, so the site keeps running; a second run finds nothing to do.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from vault.blind_index import reindex
from vault.models import SearchToken


class Command(BaseCommand):
    help = "Re-index the searchable rows whose search tokens have no sealed counts yet."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size: int, **options):
        counted = 0
        for model in apps.get_models():
            kind = getattr(model, "SEARCH_KIND", "")
            if not kind or not getattr(model, "SEARCH_FIELDS", None):
                continue
            uncounted = SearchToken.objects.filter(kind=kind, sealed_count=b"")
            while True:
                with transaction.atomic():
                    batch = list(
                        model._default_manager.filter(
                            public_id__in=uncounted.values("row_id")
                        ).order_by("pk")[:batch_size]
                    )
                    for row in batch:
                        reindex(row)
                counted += len(batch)
                if len(batch) < batch_size:
                    break
        self.stdout.write(f"Counted the words of {counted} rows for search.")
