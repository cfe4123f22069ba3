"""Behind a proxy the throttle sees each client's own address, and without one
it trusts no X-Forwarded-For header."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

URL = "/accounts/login/"
PROXY = "127.0.0.1"
ATTACKER = "198.51.100.7"
NEIGHBOUR = "203.0.113.20"
NAMES = ["AXES_IPWARE_PROXY_COUNT", "AXES_IPWARE_META_PRECEDENCE_ORDER", "IPWARE_STRICT"]


def settings_with_env(**env) -> dict:
    """The address settings as settings.py computes them from these variables."""
    script = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {NAMES!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "ipnb_site.test_settings"},
        capture_output=True,
        text=True,
        check=True,
        cwd=django_settings.BASE_DIR,
    )
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def one_proxy_settings():
    return settings_with_env(AXES_IPWARE_PROXY_COUNT="1")


@pytest.fixture
def behind_one_proxy(settings, one_proxy_settings):
    for name, value in one_proxy_settings.items():
        setattr(settings, name, value)


def post(client, email, password, *, forwarded_for, remote=PROXY):
    return client.post(
        URL,
        {"username": email, "password": password},
        REMOTE_ADDR=remote,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_one_clients_failures_behind_the_proxy_do_not_lock_out_another(
    client, owner, behind_one_proxy
):
    for n in range(5):
        post(client, f"someone{n}@example.com", "guess", forwarded_for=ATTACKER)
    # The attacker's own address is paused ...
    assert post(client, owner.email, PASSWORD, forwarded_for=ATTACKER).status_code == 429
    # ... but the owner, behind the same proxy, logs in with their right password.
    response = post(client, owner.email, PASSWORD, forwarded_for=NEIGHBOUR)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_a_client_behind_the_proxy_cannot_forge_a_fresh_address(client, owner, behind_one_proxy):
    # The proxy appends the address it saw; whatever the client wrote comes before it.
    for n in range(5):
        post(client, f"someone{n}@example.com", "guess", forwarded_for=f"10.9.9.{n}, {ATTACKER}")
    response = post(client, owner.email, PASSWORD, forwarded_for=f"10.9.9.99, {ATTACKER}")
    assert response.status_code == 429


def test_without_a_proxy_a_forged_forwarded_for_is_not_trusted(client, owner):
    assert settings_with_env(AXES_IPWARE_PROXY_COUNT="0") == {
        name: getattr(django_settings, name, None) for name in NAMES
    }
    for n in range(5):
        post(
            client, f"someone{n}@example.com", "guess", forwarded_for=f"10.9.9.{n}", remote=ATTACKER
        )
    # Every forged header came from one address, and that address is paused.
    response = post(client, owner.email, PASSWORD, forwarded_for="10.9.9.99", remote=ATTACKER)
    assert response.status_code == 429


def test_without_a_proxy_a_forged_header_cannot_lock_out_someone_else(client, owner):
    for n in range(5):
        post(client, f"someone{n}@example.com", "guess", forwarded_for=NEIGHBOUR, remote=ATTACKER)
    response = post(client, owner.email, PASSWORD, forwarded_for="", remote=NEIGHBOUR)
    assert response.status_code == 302
