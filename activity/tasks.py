import logging

from celery import shared_task

from activity.emails import send_new_device_email_now
from activity.models import ActivityEvent, DeviceSession

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_new_device_email(device_session_id: int) -> bool:
    """Tell the person a browser they haven't used before has signed in."""
    session = DeviceSession.objects.select_related("user").filter(pk=device_session_id).first()
    if session is None:
        # Signed out (or the account deleted) before the worker got here: nothing to say.
        return False
    send_new_device_email_now(session)
    return True


@shared_task
def forget_old_activity() -> dict[str, int]:
    """Activity is kept a year; ended sessions' rows go once the store forgets them."""
    deleted = {
        "events": ActivityEvent.objects.forget_old(),
        "device_sessions": DeviceSession.objects.forget_expired(),
    }
    logger.info("forget_old_activity deleted=%s", deleted)
    return deleted
