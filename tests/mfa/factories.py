"""Two-step sign-in for tests: factors given directly, and TOTP codes computed here
with RFC 6238's own maths (not the library's), as a person's app would."""

import hashlib
import hmac
import os
import struct
import time

from django_otp.plugins.otp_totp.models import default_key

from mfa.models import Passkey, TwoStep, passkey_user_handle


def totp_code(key_hex: str, at: float | None = None, step_offset: int = 0) -> str:
    """The 6-digit code an authenticator app shows for this key at `at` (now)."""
    counter = int((time.time() if at is None else at) // 30) + step_offset
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def give_authenticator(user) -> str:
    """Turns on an authenticator app for `user` (no code used yet); returns its key."""
    key = default_key()
    TwoStep(user).add_authenticator(key, last_t=-1)
    return key


def make_passkey(user, name: str = "My phone") -> Passkey:
    """A stored passkey row (its key material is random: for listing and removing)."""
    return Passkey.objects.create(
        user=user,
        name=name,
        credential_id=os.urandom(32),
        public_key=os.urandom(77),
        user_handle=passkey_user_handle(user),
    )


def give_two_step_sign_in(user) -> dict:
    key = give_authenticator(user)
    codes = TwoStep(user).issue_recovery_codes()
    passkey = make_passkey(user)
    return {"key": key, "codes": codes, "passkey": passkey}


def sign_in_to_admin(client, user) -> str:
    """Staff signed in as the admin needs: an authenticator app, and a session that
    passed the second step. Returns the app's key."""
    from mfa.signin import SECOND_STEP_PASSED

    key = give_authenticator(user)
    client.force_login(user)
    session = client.session
    session[SECOND_STEP_PASSED] = str(user.pk)
    session.save()
    return key
