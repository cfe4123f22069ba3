"""Passkey ceremonies (WebAuthn) with py_webauthn: options out, responses checked.

The challenge lives in the session, one per purpose, used once. The relying
party is this site: WEBAUTHN_RP_ID, or else the host the request came to
(ALLOWED_HOSTS has vouched for it); the origin is the request's own.
"""

import json
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import (
    base64url_to_bytes,
    bytes_to_base64url,
    parse_authentication_credential_json,
)
from webauthn.helpers.exceptions import InvalidAuthenticationResponse, InvalidRegistrationResponse
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from mfa.models import Passkey, passkey_user_handle

CHALLENGE_SECONDS = 5 * 60
PURPOSES = ("add", "sign-in", "second-step", "confirm")


class PasskeyRefused(Exception):
    """The browser's answer didn't check out; the message is safe to show."""


def relying_party_id(request: HttpRequest) -> str:
    return settings.WEBAUTHN_RP_ID or request.get_host().rsplit(":", 1)[0].strip("[]")


def expected_origin(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _keep_challenge(request: HttpRequest, purpose: str, challenge: bytes) -> None:
    request.session[f"mfa_passkey_{purpose}"] = {
        "challenge": bytes_to_base64url(challenge),
        "at": time.time(),
    }


def _take_challenge(request: HttpRequest, purpose: str) -> bytes:
    kept = request.session.pop(f"mfa_passkey_{purpose}", None)
    if not isinstance(kept, dict) or time.time() - kept.get("at", 0) > CHALLENGE_SECONDS:
        raise PasskeyRefused("That took a little long. Please try your passkey again.")
    return base64url_to_bytes(kept["challenge"])


def _descriptors(passkeys) -> list[PublicKeyCredentialDescriptor]:
    return [PublicKeyCredentialDescriptor(id=bytes(p.credential_id)) for p in passkeys]


def registration_options(request: HttpRequest, user) -> str:
    options = generate_registration_options(
        rp_id=relying_party_id(request),
        rp_name=settings.SITE_NAME,
        user_id=passkey_user_handle(user),
        user_name=user.email,
        user_display_name=user.display_name or user.email,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=_descriptors(Passkey.objects.for_user(user)),
    )
    _keep_challenge(request, "add", options.challenge)
    return options_to_json(options)


def authentication_options(request: HttpRequest, purpose: str, passkeys=None) -> str:
    """For signing in with a passkey alone `passkeys` is None: the browser offers
    every passkey it holds for this site (discoverable credentials)."""
    options = generate_authentication_options(
        rp_id=relying_party_id(request),
        allow_credentials=_descriptors(passkeys) if passkeys is not None else [],
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    _keep_challenge(request, purpose, options.challenge)
    return options_to_json(options)


def register(request: HttpRequest, user, name: str, credential: str) -> Passkey:
    challenge = _take_challenge(request, "add")
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=relying_party_id(request),
            expected_origin=expected_origin(request),
            require_user_verification=True,
        )
    except (InvalidRegistrationResponse, ValueError, KeyError, TypeError) as error:
        raise PasskeyRefused("Your browser's answer didn't check out. Please try again.") from error
    passkey = Passkey(
        user=user,
        name=name,
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        user_handle=passkey_user_handle(user),
    )
    try:
        passkey.full_clean()
    except ValidationError as error:
        # Such as a passkey already added: name what's wrong, in the page's words.
        raise PasskeyRefused(" ".join(error.messages)) from error
    passkey.save()
    return passkey


def find_passkey(credential: str, passkeys) -> Passkey | None:
    """The passkey among `passkeys` that the browser answered with, if any."""
    try:
        parsed = parse_authentication_credential_json(credential)
    except Exception:  # noqa: BLE001 - any malformed answer is simply no passkey
        return None
    passkey = passkeys.for_credential(parsed.raw_id).first()
    handle = parsed.response.user_handle
    if passkey is not None and handle is not None and handle != bytes(passkey.user_handle):
        return None
    return passkey


def authenticate(request: HttpRequest, purpose: str, credential: str, passkey: Passkey) -> None:
    challenge = _take_challenge(request, purpose)
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=relying_party_id(request),
            expected_origin=expected_origin(request),
            credential_public_key=bytes(passkey.public_key),
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=True,
        )
    except (InvalidAuthenticationResponse, ValueError, KeyError, TypeError) as error:
        raise PasskeyRefused("That passkey didn't check out. Please try again.") from error
    passkey.used(verified.new_sign_count)


def parse_json(text: str) -> str:
    """The credential as posted by static/js/passkeys.js: JSON text, checked to be an object."""
    try:
        if isinstance(json.loads(text), dict):
            return text
    except ValueError:
        pass
    raise PasskeyRefused("Your browser's answer didn't arrive whole. Please try again.")
