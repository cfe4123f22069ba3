from io import StringIO

from django.core.checks import run_checks
from django.core.management import call_command
from py_vapid import Vapid


def generated() -> dict[str, str]:
    out = StringIO()
    call_command("generate_vapid_keys", "--subject=mailto:care@riverwise.example", stdout=out)
    return dict(line.split("=", 1) for line in out.getvalue().split())


def test_it_prints_a_matching_key_pair_as_environment_lines():
    keys = generated()
    assert set(keys) == {"VAPID_PRIVATE_KEY", "VAPID_PUBLIC_KEY", "VAPID_SUBJECT"}
    assert keys["VAPID_SUBJECT"] == "mailto:care@riverwise.example"
    signer = Vapid.from_raw(keys["VAPID_PRIVATE_KEY"].encode())
    token = signer.sign({"aud": "https://fcm.googleapis.com", "sub": keys["VAPID_SUBJECT"]})
    # The header names the public key; the browser subscribes with the same one.
    assert f"k={keys['VAPID_PUBLIC_KEY']}" in token["Authorization"]
    assert generated()["VAPID_PRIVATE_KEY"] != keys["VAPID_PRIVATE_KEY"]


def push_errors() -> list[str]:
    return [str(error.id) for error in run_checks() if str(error.id).startswith("push.")]


def test_the_checks_pass_with_a_pair_or_with_none(settings):
    assert push_errors() == []
    keys = generated()
    settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY = (
        keys["VAPID_PRIVATE_KEY"],
        keys["VAPID_PUBLIC_KEY"],
    )
    assert push_errors() == []


def test_the_checks_catch_half_a_pair_a_mismatch_and_a_bad_subject(settings):
    one, other = generated(), generated()
    settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY = one["VAPID_PRIVATE_KEY"], ""
    assert push_errors() == ["push.E001"]
    settings.VAPID_PUBLIC_KEY = other["VAPID_PUBLIC_KEY"]
    assert push_errors() == ["push.E002"]
    settings.VAPID_PUBLIC_KEY = one["VAPID_PUBLIC_KEY"]
    settings.VAPID_SUBJECT = "care@riverwise.example"
    assert push_errors() == ["push.E003"]
