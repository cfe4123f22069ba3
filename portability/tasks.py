import logging

from celery import shared_task

from portability.models import PendingImport

logger = logging.getLogger(__name__)


@shared_task
def purge_stale_imports() -> int:
    """Delete uploaded files nobody confirmed within the hour: each holds a whole journal."""
    purged = PendingImport.objects.purge_stale()
    # A count only: never anything from the files.
    logger.info("purge_stale_imports purged=%d", purged)
    return purged
