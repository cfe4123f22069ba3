"""What the database keeps for a recovery code: a keyed hash (HMAC-SHA256, its key
derived from SECRET_KEY), so a copy of the database alone can't test guesses."""

import hashlib

import pytest
from django_otp.plugins.otp_static.models import StaticToken

from mfa.models import TwoStep
from tests.mfa.factories import give_authenticator

pytestmark = pytest.mark.django_db


def unkeyed_digest(code: str) -> str:
    """What anyone could compute from a code alone: SHA-256 of it, as stored before."""
    return hashlib.sha256(code.replace("-", "").encode()).hexdigest()[:16]


def stored_tokens() -> set[str]:
    return set(StaticToken.objects.values_list("token", flat=True))


def test_a_stored_code_cannot_be_recomputed_from_the_code_alone(owner):
    codes = TwoStep(owner).issue_recovery_codes()

    stored = stored_tokens()
    assert len(stored) == 10
    assert not {unkeyed_digest(code) for code in codes} & stored


OLD_KEY = "the-key-before-rotation-" + "x" * 40
NEW_KEY = "the-key-after-rotation-" + "y" * 40


def test_stored_codes_fit_the_column_and_each_works_once(owner):
    codes = TwoStep(owner).issue_recovery_codes()

    assert {len(token) for token in stored_tokens()} == {16}
    assert TwoStep(owner).verify_code(codes[0].lower()) == "recovery code"
    assert TwoStep(owner).verify_code(codes[0]) is None
    assert TwoStep(owner).recovery_codes_left() == 9


def test_codes_keep_working_after_secret_key_rotates_to_the_fallbacks(owner, settings):
    settings.SECRET_KEY = OLD_KEY
    codes = TwoStep(owner).issue_recovery_codes()

    settings.SECRET_KEY = NEW_KEY
    settings.SECRET_KEY_FALLBACKS = [OLD_KEY]

    assert TwoStep(owner).verify_code(codes[0]) == "recovery code"
    assert TwoStep(owner).verify_code(codes[0]) is None
    assert TwoStep(owner).recovery_codes_left() == 9


def test_the_stored_value_depends_on_the_key(owner, settings):
    settings.SECRET_KEY = OLD_KEY
    codes = TwoStep(owner).issue_recovery_codes()

    settings.SECRET_KEY = NEW_KEY
    settings.SECRET_KEY_FALLBACKS = []

    assert TwoStep(owner).verify_code(codes[0]) is None
    assert TwoStep(owner).recovery_codes_left() == 10


def test_the_command_counts_codes_under_each_key_before_one_is_retired(owner, stranger, settings):
    from io import StringIO

    from django.core.management import call_command

    settings.SECRET_KEY = OLD_KEY
    TwoStep(owner).issue_recovery_codes()
    settings.SECRET_KEY = NEW_KEY
    settings.SECRET_KEY_FALLBACKS = [OLD_KEY]
    TwoStep(stranger).issue_recovery_codes()
    TwoStep(stranger).verify_code(TwoStep(stranger).issue_recovery_codes()[0])

    out = StringIO()
    call_command("recovery_code_keys", stdout=out)

    assert "SECRET_KEY: 9 codes" in out.getvalue()
    assert "SECRET_KEY_FALLBACKS[0]: 10 codes; keep this key until it has none." in out.getvalue()
    assert "no longer set" not in out.getvalue()

    settings.SECRET_KEY_FALLBACKS = []
    out = StringIO()
    call_command("recovery_code_keys", stdout=out)
    assert "10 codes are under a key that is no longer set" in out.getvalue()


def test_codes_stored_unkeyed_before_the_pepper_are_keyed_by_the_migration_and_work_once(
    owner, settings
):
    from importlib import import_module

    from django.apps import apps
    from django_otp.plugins.otp_static.models import StaticDevice

    device = StaticDevice.objects.create(user=owner, name="Recovery codes")
    held = ["ABCD-EFGH-JKLM", "2345-6789-ABCD"]
    for code in held:
        StaticToken.objects.create(device=device, token=unkeyed_digest(code))
    give_authenticator(owner)

    migration = import_module("mfa.migrations.0002_pepper_recovery_codes")
    migration.pepper_recovery_codes(apps, None)

    assert not {unkeyed_digest(code) for code in held} & stored_tokens()
    assert TwoStep(owner).verify_code("abcd efgh jklm") == "recovery code"
    assert TwoStep(owner).verify_code("ABCD-EFGH-JKLM") is None
    assert TwoStep(owner).recovery_codes_left() == 1
