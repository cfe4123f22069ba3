import logging

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from celery import shared_task
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task
def clear_expired_sessions() -> int:
    """Drop sessions past their expiry so old logins leave nothing behind."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    logger.info("clear_expired_sessions deleted=%d", deleted)
    return deleted


@shared_task
def expire_login_records() -> dict[str, int]:
    """Forget login attempts once their pause is over, and login logs after LOGIN_LOG_DAYS.

    Each row holds an address, a browser and the email typed. An attempt counts
    towards a pause only within the cool-off, so it has no use after it.
    """
    over = timezone.now() - get_cool_off()
    attempts, _ = AccessAttempt.objects.filter(attempt_time__lte=over).delete()
    deleted = {
        "attempts": attempts,
        "logs": AxesProxyHandler.reset_logs(age_days=settings.LOGIN_LOG_DAYS),
        "failure_logs": AxesProxyHandler.reset_failure_logs(age_days=settings.LOGIN_LOG_DAYS),
    }
    logger.info("expire_login_records deleted=%s", deleted)
    return deleted
