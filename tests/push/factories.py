import base64
import secrets

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from push.models import PushSubscription


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def make_subscription(user, device: str = "Chrome on an Android phone") -> PushSubscription:
    """A device's push subscription at FCM, with real keys, checked by the model."""
    public = ec.generate_private_key(ec.SECP256R1()).public_key()
    point = public.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    subscription = PushSubscription(
        user=user,
        endpoint=f"https://fcm.googleapis.com/fcm/send/{secrets.token_urlsafe(24)}",
        p256dh=_b64url(point),
        auth=_b64url(secrets.token_bytes(16)),
        device=device,
    )
    subscription.full_clean()
    subscription.save()
    return subscription
