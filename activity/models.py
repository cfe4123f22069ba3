"""Where a person is signed in, and a year's record of what happened to their data.

A `DeviceSession` is one signed-in browser: the session carries its id, and the
middleware checks on every request that the row is still there (or, with a
shared cache, that the cache has not heard of its deletion), so deleting the
row signs that browser out at its very next request. An `ActivityEvent` is one
line on the Activity page; `record()` is the one way to write one.
"""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from accounts.ownership import OwnedQuerySet
from activity.devices import Device, DeviceKind, device_of

# The session's key under which it keeps the id of its DeviceSession row.
DEVICE_SESSION_KEY = "activity_device"
# "Last seen" is written at most this often, so a page view costs one read, not a write.
LAST_SEEN_EVERY = timedelta(minutes=5)
# Events are kept a year (activity.tasks.forget_old_activity).
ACTIVITY_KEPT_FOR = timedelta(days=365)
# Wrong passwords against one account within this time make one line, with a count.
FAILED_SIGN_INS_GROUPED_FOR = timedelta(hours=1)


# A device's standing in the shared cache: (user id, expiry, when "last seen" is
# due) while signed in, or ENDED for a while after its row is deleted. Without
# ENDED, a request that read the row just before a sign-out committed could
# cache it as signed in.
ENDED = "ended"


def standing_key(public_id) -> str:
    return f"activity:device:{public_id}"


def stored_session_expiry(session) -> datetime:
    """When Django's session store will forget this session (the db backends keep it in
    a row; other engines fall back to the cookie's age from now)."""
    get_model = getattr(session, "get_model_class", None)
    if get_model is not None and session.session_key:
        expiry = (
            get_model()
            .objects.filter(session_key=session.session_key)
            .values_list("expire_date", flat=True)
            .first()
        )
        if expiry is not None:
            return expiry
    return timezone.now() + timedelta(seconds=session.get_expiry_age())


class DeviceSessionQuerySet(OwnedQuerySet):
    def visible_condition(self) -> Q:
        # A session past its expiry is over, though its row waits for the beat task.
        return Q(expires_at__gt=timezone.now())

    def start(self, request, user) -> "DeviceSession":
        """A row for the session this request just signed in with, and its id in the session."""
        device = device_of(request)
        row = self.create(
            user=user,
            browser=device.browser,
            system=device.system,
            kind=device.kind,
            expires_at=timezone.now() + timedelta(seconds=request.session.get_expiry_age()),
        )
        request.session[DEVICE_SESSION_KEY] = str(row.public_id)
        return row

    def current(self, request) -> "DeviceSession | None":
        """This request's own row, or None (signed out elsewhere, or never tracked)."""
        public_id = request.session.get(DEVICE_SESSION_KEY)
        if public_id is None:
            return None
        return self.for_user(request.user).filter(public_id=public_id).first()

    def keep_up(self, request) -> bool:
        """False when this signed-in session was signed out from another device.

        One read per request, from the shared cache when there is one (see
        `standing_key`); "last seen" is written at most every LAST_SEEN_EVERY.
        A session signed in before this app existed gets its row now, once.
        """
        if DEVICE_SESSION_KEY not in request.session:
            self.start(request, request.user)
            return True
        public_id = request.session[DEVICE_SESSION_KEY]
        if settings.SHARED_CACHE:
            standing = cache.get(standing_key(public_id))
            if standing == ENDED:
                return False
            if standing is not None:
                user_id, expires_at, last_seen_due = standing
                now = timezone.now()
                if now < last_seen_due:
                    return user_id == request.user.pk and expires_at > now
        row = self.current(request)
        if row is None:
            return False
        now = timezone.now()
        if now - row.last_seen_at >= LAST_SEEN_EVERY:
            row.last_seen_at, row.expires_at = now, stored_session_expiry(request.session)
            if not self.filter(pk=row.pk).update(last_seen_at=now, expires_at=row.expires_at):
                return False  # signed out from elsewhere since the read
        if settings.SHARED_CACHE:
            # Good until "last seen" is due again, so it is still written on time.
            # `add`, never `set`: a sign-out that committed meanwhile left ENDED.
            due = row.last_seen_at + LAST_SEEN_EVERY
            standing = (row.user_id, row.expires_at, due)
            cache.add(standing_key(public_id), standing, max(1, int((due - now).total_seconds())))
        return True

    def end_others(self, request, user) -> int:
        """Sign out every other device of the person; this one stays signed in."""
        others = self.filter(user=user).exclude(public_id=request.session.get(DEVICE_SESSION_KEY))
        ended, _ = others.delete()
        return ended

    def forget_expired(self, now: datetime | None = None) -> int:
        deleted, _ = self.filter(expires_at__lte=now or timezone.now()).delete()
        return deleted


class DeviceSession(models.Model):
    """One browser signed in to a person's account, described without its address."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="device_sessions"
    )
    browser = models.CharField(max_length=60)
    system = models.CharField(max_length=60)
    kind = models.CharField(max_length=10, choices=DeviceKind.choices)
    signed_in_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    # A copy of the session store's expiry, refreshed with "last seen".
    expires_at = models.DateTimeField()

    objects = DeviceSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-last_seen_at"]
        indexes = [models.Index(fields=["expires_at"], name="activity_device_expiry")]

    def __str__(self) -> str:
        return self.device.label

    @property
    def device(self) -> Device:
        return Device(browser=self.browser, system=self.system, kind=self.kind)


@receiver(post_delete, sender=DeviceSession, dispatch_uid="activity.device_session_ended")
def device_session_ended(sender, instance: DeviceSession, **kwargs) -> None:
    """However the row goes (signed out here or elsewhere, expired, the account
    deleted), the device's next request finds it signed out, in every process."""
    # At once, not on commit: a request between the two then finds ENDED, as it
    # would a moment later (and a rolled-back sign-out errs on the safe side).
    if settings.SHARED_CACHE:
        cache.set(standing_key(instance.public_id), ENDED, LAST_SEEN_EVERY.total_seconds())


class ActivityKind(models.TextChoices):
    SIGNED_IN = "signed_in", "Signed in"
    # A wrong password, or a wrong code at two-step sign-in's second step.
    SIGN_IN_FAILED = "sign_in_failed", "A sign-in failed"
    DEVICE_SIGNED_OUT = "device_signed_out", "Signed out another device"
    OTHER_DEVICES_SIGNED_OUT = "other_devices_signed_out", "Signed out every other device"
    PASSWORD_CHANGED = "password_changed", "Password changed"
    PASSWORD_RESET = "password_reset", "Password reset by email link"
    DATA_DOWNLOADED = "data_downloaded", "Downloaded your data"
    DATA_IMPORTED = "data_imported", "Imported data"
    REPORT_MADE = "report_made", "Made a printable report"
    # Two-step sign-in (mfa), from its signals.
    FACTOR_ADDED = "factor_added", "Turned on a way to sign in"
    FACTOR_REMOVED = "factor_removed", "Removed a way to sign in"
    RECOVERY_CODES_REGENERATED = "recovery_codes_regenerated", "Made new recovery codes"
    RECOVERY_CODE_USED = "recovery_code_used", "Used a recovery code"


def validate_detail(value) -> None:
    """A few short facts (a format, a count, a date), never free text of any size."""
    if not isinstance(value, dict) or len(value) > 6:
        raise ValidationError("Activity details are a few named facts.", code="detail")
    for key, item in value.items():
        if not isinstance(key, str) or len(key) > 30:
            raise ValidationError("Activity details have short names.", code="detail")
        if not isinstance(item, str | int | bool) or (isinstance(item, str) and len(item) > 120):
            raise ValidationError("Activity details are short words or numbers.", code="detail")


class ActivityQuerySet(OwnedQuerySet):
    def record(self, request, user, kind: str, **detail) -> "ActivityEvent":
        """The one door for a line on the Activity page: checked, then saved."""
        device = device_of(request) if request is not None else None
        event = self.model(
            user=user, kind=kind, device=device.label if device else "", detail=detail
        )
        event.full_clean()
        event.save()
        return event

    def record_once(self, request, user, kind: str, within: timedelta, **detail):
        """As record(), unless the same thing was recorded from the same device lately
        (a report page reloaded while changing its dates makes one line, not ten)."""
        device = device_of(request).label
        recent = self.filter(
            user=user,
            kind=kind,
            device=device,
            detail=detail,
            occurred_at__gte=timezone.now() - within,
        )
        if recent.exists():
            return None
        return self.record(request, user, kind, **detail)

    def record_failed_sign_in(self, request, user) -> None:
        """Wrong passwords within an hour make one line with a count, so guessing
        can't fill the page (or the table)."""
        with transaction.atomic():
            latest = (
                self.select_for_update()
                .filter(
                    user=user,
                    kind=ActivityKind.SIGN_IN_FAILED,
                    occurred_at__gte=timezone.now() - FAILED_SIGN_INS_GROUPED_FOR,
                )
                .order_by("-occurred_at")
                .first()
            )
            if latest is None:
                self.record(request, user, ActivityKind.SIGN_IN_FAILED, count=1)
                return
            latest.detail = {"count": int(latest.detail.get("count", 1)) + 1}
            latest.save(update_fields=["detail"])

    def has_signed_in_from(self, user, device: Device) -> bool:
        return self.filter(user=user, kind=ActivityKind.SIGNED_IN, device=device.label).exists()

    def forget_old(self, now: datetime | None = None) -> int:
        oldest_kept = (now or timezone.now()) - ACTIVITY_KEPT_FOR
        deleted, _ = self.filter(occurred_at__lt=oldest_kept).delete()
        return deleted


class ActivityEvent(models.Model):
    """Something that happened to a person's account or data, when, and from what device."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activity_events"
    )
    kind = models.CharField(max_length=40, choices=ActivityKind.choices)
    occurred_at = models.DateTimeField(default=timezone.now)
    # The device's label ("Firefox on Linux computer"), blank when no browser was involved.
    device = models.CharField(max_length=200, blank=True)
    detail = models.JSONField(default=dict, blank=True, validators=[validate_detail])

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-occurred_at"], name="activity_event_by_user"),
            models.Index(fields=["occurred_at"], name="activity_event_age"),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()
