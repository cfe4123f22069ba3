"""Start-up checks: a half-set or mismatched VAPID key pair would fail every push quietly."""

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core.checks import Error, register

from push.models import decode_base64url


@register()
def vapid_keys_check(app_configs, **kwargs) -> list[Error]:
    private, public = settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY
    if not private and not public:
        return []  # push is off
    hint = "Set both from `python manage.py generate_vapid_keys`, or neither to turn push off."
    if not (private and public):
        return [
            Error(
                "Only one of VAPID_PRIVATE_KEY and VAPID_PUBLIC_KEY is set.",
                hint=hint,
                id="push.E001",
            )
        ]
    try:
        key = ec.derive_private_key(
            int.from_bytes(decode_base64url(private), "big"), ec.SECP256R1()
        )
        derived = key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        matches = derived == decode_base64url(public)
    except ValueError:
        matches = False
    errors = []
    if not matches:
        errors.append(
            Error(
                "VAPID_PUBLIC_KEY isn't the public half of VAPID_PRIVATE_KEY.",
                hint=hint,
                id="push.E002",
            )
        )
    if not settings.VAPID_SUBJECT.startswith(("mailto:", "https://")):
        errors.append(
            Error(
                "VAPID_SUBJECT must be a mailto: address (or an https: URL).",
                hint="Push services write to it about problems.",
                id="push.E003",
            )
        )
    return errors
