import logging

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task
def clear_expired_sessions() -> int:
    """Drop sessions past their expiry so old logins leave nothing behind."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    logger.info("clear_expired_sessions deleted=%d", deleted)
    return deleted
