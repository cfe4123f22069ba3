"""Two-step sign-in: a person's second factors, and the rules that join them.

The authenticator app (TOTP) and the recovery codes are django-otp's own
devices (`TOTPDevice`, `StaticDevice`): their replay guard and throttling are
the library's. Passkeys (WebAuthn, verified by py_webauthn in mfa/passkeys.py)
are rows of `Passkey`. `TwoStep(user)` answers what a person has on and does
what turning factors on and off means.
"""

import hashlib
import secrets
from uuid import uuid4

from django.conf import settings
from django.core.validators import MinLengthValidator
from django.db import models, transaction
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.ownership import OwnedQuerySet

RECOVERY_CODE_COUNT = 10
# 32 letters and digits that can't be misread for each other (no 0/O, 1/I).
RECOVERY_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
RECOVERY_CODE_LENGTH = 12  # 60 random bits each
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


class PasskeyQuerySet(OwnedQuerySet):
    def for_credential(self, credential_id: bytes) -> "PasskeyQuerySet":
        """The passkey a sign-in answers with, before anyone is signed in: the
        credential id (random, made by the authenticator) is what names it."""
        return self.filter(credential_id=credential_id)


class Passkey(models.Model):
    public_id = models.UUIDField(default=uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="passkeys"
    )
    name = models.CharField(
        max_length=60,
        validators=[MinLengthValidator(1)],
        help_text="So you can tell your passkeys apart, such as “My phone”.",
    )
    credential_id = models.BinaryField(
        max_length=1023,
        unique=True,
        error_messages={"unique": "This passkey is already added here."},
    )
    public_key = models.BinaryField(max_length=2048)
    sign_count = models.PositiveBigIntegerField(default=0)
    # The WebAuthn user handle given at registration (not the email, not the id).
    user_handle = models.BinaryField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = PasskeyQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name=""),
                name="mfa_passkey_has_a_name",
                violation_error_message="Give this passkey a name, such as “My phone”.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def used(self, sign_count: int) -> None:
        self.sign_count = sign_count
        self.last_used_at = timezone.now()
        self.save(update_fields=["sign_count", "last_used_at"])


def passkey_user_handle(user) -> bytes:
    """The WebAuthn user handle: stable per person, and saying nothing about them."""
    return salted_hmac("mfa.passkey-user-handle", str(user.pk), algorithm="sha256").digest()


RECOVERY_CODE_SALT = "mfa.recovery-code"
RECOVERY_KEY_SALT = "mfa.recovery-code-key"


def recovery_code_keys() -> list[str]:
    """The keys a stored code may be under: SECRET_KEY, then any rotated out of it."""
    return [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]


def recovery_key_tag(secret: str) -> str:
    """Four hex characters naming a key (an HMAC of nothing with it, never the key
    itself), so `manage.py recovery_code_keys` can count the codes under each."""
    return salted_hmac(RECOVERY_KEY_SALT, "", secret=secret, algorithm="sha256").hexdigest()[:4]


def peppered(unkeyed: str, secret: str) -> str:
    """The stored form of an unkeyed digest: the key's tag, then 48 bits of
    HMAC-SHA256 keyed with `secret` (StaticToken's column holds 16 characters)."""
    mac = salted_hmac(RECOVERY_CODE_SALT, unkeyed, secret=secret, algorithm="sha256")
    return recovery_key_tag(secret) + mac.hexdigest()[:12]


def unkeyed_recovery_digest(typed: str) -> str:
    """SHA-256 of the code as typed without spaces, dashes or case (what was stored,
    unkeyed, before mfa's migration 0002 peppered every stored code)."""
    normalised = "".join(typed.split()).replace("-", "").upper()
    return hashlib.sha256(normalised.encode()).hexdigest()[:16]


def recovery_code_digest(typed: str, secret: str | None = None) -> str:
    """What is stored for a recovery code: a hash keyed with a secret kept outside the
    database, so a copy of the database can neither sign in nor test guesses."""
    return peppered(unkeyed_recovery_digest(typed), secret or settings.SECRET_KEY)


def recovery_code_digests(typed: str) -> list[str]:
    """Every form a typed code may be stored in: under SECRET_KEY, or under a key
    rotated out to SECRET_KEY_FALLBACKS (codes people hold outlive a rotation)."""
    unkeyed = unkeyed_recovery_digest(typed)
    return [peppered(unkeyed, key) for key in recovery_code_keys()]


def recovery_codes_by_key() -> dict[str, int]:
    """How many unused codes are under each key: "SECRET_KEY",
    "SECRET_KEY_FALLBACKS[i]", or "no key set" (those no longer work)."""
    fallbacks = [f"SECRET_KEY_FALLBACKS[{i}]" for i in range(len(settings.SECRET_KEY_FALLBACKS))]
    labels = ["SECRET_KEY", *fallbacks]
    counts = dict.fromkeys([*labels, "no key set"], 0)
    names: dict[str, str] = {}
    for label, key in zip(labels, recovery_code_keys(), strict=True):
        # Two keys share a tag once in 65,536: the newer one is named.
        names.setdefault(recovery_key_tag(key), label)
    tags = StaticToken.objects.annotate(tag=Substr("token", 1, 4)).values("tag")
    for row in tags.annotate(n=Count("id")):
        counts[names.get(row["tag"], "no key set")] += row["n"]
    return counts


def new_recovery_code() -> str:
    code = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
    return "-".join(code[i : i + 4] for i in range(0, RECOVERY_CODE_LENGTH, 4))


class TwoStep:
    """One person's two-step sign-in: which factors are on, and changing them."""

    def __init__(self, user):
        self.user = user

    @property
    def authenticator(self) -> TOTPDevice | None:
        return TOTPDevice.objects.filter(user=self.user, confirmed=True).first()

    @property
    def recovery_device(self) -> StaticDevice | None:
        return StaticDevice.objects.filter(user=self.user).first()

    @property
    def passkeys(self) -> PasskeyQuerySet:
        return Passkey.objects.for_user(self.user)

    @property
    def is_on(self) -> bool:
        """On while the person has an authenticator app or a passkey."""
        return (
            TOTPDevice.objects.filter(user=self.user, confirmed=True).exists()
            or self.passkeys.exists()
        )

    def recovery_codes_left(self) -> int:
        return StaticToken.objects.filter(device__user=self.user).count()

    # Changing factors ------------------------------------------------------

    @transaction.atomic
    def add_authenticator(self, key: str, last_t: int) -> TOTPDevice:
        """The app whose code was just confirmed replaces any earlier one; that code
        (time step `last_t`) is spent."""
        TOTPDevice.objects.filter(user=self.user).delete()
        device = TOTPDevice(
            user=self.user, name=AUTHENTICATOR_NAME, key=key, confirmed=True, last_t=last_t
        )
        device.full_clean()
        device.save()
        return device

    @transaction.atomic
    def issue_recovery_codes(self) -> list[str]:
        """Ten new codes; the earlier ones stop working. Only hashes are kept."""
        device, _ = StaticDevice.objects.get_or_create(
            user=self.user, defaults={"name": RECOVERY_DEVICE_NAME}
        )
        device.token_set.all().delete()
        codes = [new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(
            StaticToken(device=device, token=recovery_code_digest(code)) for code in codes
        )
        return codes

    @transaction.atomic
    def remove_authenticator(self) -> None:
        TOTPDevice.objects.filter(user=self.user).delete()
        self._forget_recovery_codes_if_off()

    @transaction.atomic
    def remove_passkey(self, passkey: Passkey) -> None:
        passkey.delete()
        self._forget_recovery_codes_if_off()

    @transaction.atomic
    def turn_off(self) -> None:
        TOTPDevice.objects.filter(user=self.user).delete()
        Passkey.objects.for_user(self.user).delete()
        StaticDevice.objects.filter(user=self.user).delete()

    def _forget_recovery_codes_if_off(self) -> None:
        # Recovery codes stand in for a second factor; with none left they'd be a
        # way in that nothing else asks for.
        if not self.is_on:
            StaticDevice.objects.filter(user=self.user).delete()

    # Checking a typed code ---------------------------------------------------

    def verify_code(self, typed: str) -> str | None:
        """ "authenticator" or "recovery code" when the typed code is right, else None.

        Six digits are checked against the authenticator app (django-otp refuses
        a code already used and slows down repeated failures); anything else is
        tried as a recovery code, each of which works once."""
        code = "".join(typed.split())
        if code.isdigit() and len(code) == 6:
            return "authenticator" if self._verify_authenticator_code(code) else None
        return "recovery code" if self._use_recovery_code(code) else None

    @transaction.atomic
    def _verify_authenticator_code(self, code: str) -> bool:
        # Locked, so two requests with one code can't both pass the replay guard.
        device = (
            TOTPDevice.objects.select_for_update().filter(user=self.user, confirmed=True).first()
        )
        return device is not None and device.verify_token(code)

    @transaction.atomic
    def _use_recovery_code(self, code: str) -> bool:
        device = StaticDevice.objects.select_for_update().filter(user=self.user).first()
        if device is None or not device.verify_is_allowed()[0]:
            return False
        # One statement, so a code sent twice at once is used once.
        used, _ = device.token_set.filter(token__in=recovery_code_digests(code)).delete()
        if used:
            device.throttle_reset(commit=False)
            device.set_last_used_timestamp(commit=False)
            device.save()
            return True
        device.throttle_increment()
        return False
