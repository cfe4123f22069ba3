import logging

from celery import shared_task

from journal.models import IntegrationCheckIn, JournalEntry, Rupture

logger = logging.getLogger(__name__)


@shared_task
def purge_deleted_journal_items() -> int:
    """Delete for good what people deleted once its undo window has passed."""
    purged = sum(
        model.objects.purge_deleted() for model in (JournalEntry, IntegrationCheckIn, Rupture)
    )
    # Counts only: never anything a person wrote.
    logger.info("purge_deleted_journal_items purged=%d", purged)
    return purged
