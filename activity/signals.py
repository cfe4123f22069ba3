"""Sign-ins and sign-outs, as Django's auth signals tell them."""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError

from accounts.models import User
from activity.devices import device_of
from activity.models import DEVICE_SESSION_KEY, ActivityEvent, ActivityKind, DeviceSession

logger = logging.getLogger(__name__)


def signed_in(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    device = device_of(request)
    # The first sign-in (right after sign-up) has nothing to compare with: no email.
    known_before = ActivityEvent.objects.filter(user=user, kind=ActivityKind.SIGNED_IN).exists()
    new_device = known_before and not ActivityEvent.objects.has_signed_in_from(user, device)
    # Signing in again in the same browser replaces its row rather than adding one.
    DeviceSession.objects.filter(
        user=user, public_id=request.session.get(DEVICE_SESSION_KEY)
    ).delete()
    session = DeviceSession.objects.start(request, user)
    ActivityEvent.objects.record(request, user, ActivityKind.SIGNED_IN)
    if new_device:
        transaction.on_commit(lambda: _email_about_new_device(session.pk))


def _email_about_new_device(device_session_id: int) -> None:
    from activity.tasks import send_new_device_email

    try:
        send_new_device_email.delay(device_session_id)
    except OperationalError:
        # The sign-in itself must not fail because the broker is away.
        logger.exception("new-device email not queued (broker unreachable)")


def signed_out(sender, request, user, **kwargs) -> None:
    if request is None or user is None or not hasattr(request, "session"):
        return
    DeviceSession.objects.filter(
        user=user, public_id=request.session.get(DEVICE_SESSION_KEY)
    ).delete()


def sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    """A wrong password against an existing account goes on that account's page."""
    typed = credentials.get("username")
    if request is None or not typed:
        return
    user = User.objects.filter(email=User.objects.normalize_email(str(typed))).first()
    if user is not None:
        ActivityEvent.objects.record_failed_sign_in(request, user)


def connect_two_step_signals() -> None:
    """Two-step sign-in's changes (mfa/signals.py) each make a line on the Activity page."""
    from mfa import signals as two_step

    for signal, kind in [
        (two_step.factor_added, ActivityKind.FACTOR_ADDED),
        (two_step.factor_removed, ActivityKind.FACTOR_REMOVED),
        (two_step.recovery_codes_regenerated, ActivityKind.RECOVERY_CODES_REGENERATED),
        (two_step.recovery_code_used, ActivityKind.RECOVERY_CODE_USED),
    ]:
        signal.connect(_recorder(kind), weak=False, dispatch_uid=f"activity.{kind}")


def _recorder(kind: str):
    def record_it(sender, request, user, factor: str | None = None, **kwargs) -> None:
        detail = {"factor": factor} if factor else {}
        ActivityEvent.objects.record(request, user, kind, **detail)

    return record_it
