import logging

from celery import shared_task

from practices.models import PracticeSession

logger = logging.getLogger(__name__)


@shared_task
def close_abandoned_sessions() -> int:
    """Close sessions left open too long, so progress figures see them as unfinished."""
    closed = PracticeSession.objects.close_abandoned()
    logger.info("close_abandoned_sessions closed=%d", closed)
    return closed
