"""Each device a person lets us notify: its Web Push subscription (RFC 8030, RFC 8291).

The endpoint is a URL we will POST to later, from a worker inside our network, so it
is checked like any address a stranger hands us: https, and only on the push
services browsers use (see PUSH_SERVICE_HOSTS), never an internal address.
"""

import base64
import binascii
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from accounts.ownership import OwnedQuerySet

# Apple's endpoints are the longest we have seen, at about 250 characters.
MAX_ENDPOINT_LENGTH = 1024
# An uncompressed P-256 public key (0x04, x, y) and the 16-byte auth secret (RFC 8291).
P256DH_BYTES = 65
AUTH_BYTES = 16
MAX_SUBSCRIPTIONS_PER_PERSON = 20


def push_is_configured() -> bool:
    """Push is offered only when the site has its VAPID key pair."""
    return bool(settings.VAPID_PRIVATE_KEY and settings.VAPID_PUBLIC_KEY)


def decode_base64url(value: str) -> bytes:
    """Strict base64url (padding optional); ValueError for anything else."""
    if not value or any(c not in BASE64URL_ALPHABET for c in value.rstrip("=")):
        raise ValueError("not base64url")
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError) as error:
        raise ValueError("not base64url") from error


BASE64URL_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def is_known_push_host(host: str, port: int | None = None) -> bool:
    """Is host (and port) one of the push services we send to?

    An entry of PUSH_SERVICE_HOSTS with a leading dot allows its subdomains; one
    with ":port" allows that port alone (the tests' loopback service). Entries
    without a port allow only https's own, 443.
    """
    host = host.lower().rstrip(".")
    for entry in settings.PUSH_SERVICE_HOSTS:
        allowed, _, allowed_port = entry.lower().partition(":")
        if (port or 443) != (int(allowed_port) if allowed_port else 443):
            continue
        if host == allowed.lstrip(".") or (allowed.startswith(".") and host.endswith(allowed)):
            return True
    return False


def validate_push_endpoint(endpoint: str) -> None:
    """Refuse any endpoint but https on a known push service (the SSRF guard)."""
    message = "This isn't a push service address we can send to."
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        raise ValidationError(message, code="bad_endpoint") from None
    if parts.scheme != "https" or not parts.hostname or parts.username or parts.password:
        raise ValidationError(message, code="bad_endpoint")
    if not is_known_push_host(parts.hostname, port):
        raise ValidationError(message, code="unknown_push_service")


def validate_p256dh(value: str) -> None:
    try:
        key = decode_base64url(value)
    except ValueError:
        key = b""
    if len(key) != P256DH_BYTES or key[0] != 0x04:
        raise ValidationError("The device's key isn't a P-256 public key.", code="bad_key")


def validate_auth_secret(value: str) -> None:
    try:
        secret = decode_base64url(value)
    except ValueError:
        secret = b""
    if len(secret) != AUTH_BYTES:
        raise ValidationError("The device's auth secret isn't 16 bytes.", code="bad_auth")


def device_label(user_agent: str) -> str:
    """A short, human name for a device, from its user agent ("Chrome on Android")."""
    agent = user_agent or ""
    if "Edg/" in agent:
        browser = "Edge"
    elif "Firefox/" in agent:
        browser = "Firefox"
    elif "Chrome/" in agent or "CriOS/" in agent:
        browser = "Chrome"
    elif "Safari/" in agent:
        browser = "Safari"
    else:
        browser = "A browser"
    for marker, system in (
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS X", "Mac"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ):
        if marker in agent:
            return f"{browser} on {system}"
    return browser


class PushSubscriptionQuerySet(OwnedQuerySet):
    def save_for(self, user, endpoint: str, p256dh: str, auth: str, user_agent: str):
        """Validate and keep a device's subscription; the same endpoint again updates its keys.

        Raises ValidationError for anything the model refuses.
        """
        subscription = self.for_user(user).filter(endpoint=endpoint).first() or self.model(
            user=user, endpoint=endpoint
        )
        subscription.p256dh = p256dh
        subscription.auth = auth
        subscription.device = device_label(user_agent)
        subscription.full_clean()
        subscription.save()
        return subscription


class PushSubscription(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.CharField(max_length=MAX_ENDPOINT_LENGTH, validators=[validate_push_endpoint])
    p256dh = models.CharField(max_length=100, validators=[validate_p256dh])
    auth = models.CharField(max_length=40, validators=[validate_auth_secret])
    device = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_success_at = models.DateTimeField(null=True, blank=True)

    objects = PushSubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            # Two accounts on one browser each keep their own row.
            models.UniqueConstraint(fields=["user", "endpoint"], name="one_subscription_per_device")
        ]

    def __str__(self) -> str:
        return f"{self.device or 'A device'} of {self.user}"

    def clean(self):
        if (
            self._state.adding
            and self.user_id is not None
            and PushSubscription.objects.filter(user_id=self.user_id).count()
            >= MAX_SUBSCRIPTIONS_PER_PERSON
        ):
            raise ValidationError(
                f"Push reminders can go to up to {MAX_SUBSCRIPTIONS_PER_PERSON} devices. "
                "Remove one you no longer use to add this one."
            )

    @property
    def subscription_info(self) -> dict:
        """The shape pywebpush takes."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}
