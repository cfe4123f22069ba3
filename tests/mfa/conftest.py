import pytest

from tests.conftest import PASSWORD
from tests.mfa.factories import give_authenticator

LOGIN = "/accounts/login/"
SECOND_STEP = "/accounts/two-step/second-step/"
ADDRESS = "10.0.0.7"


@pytest.fixture
def owner_key(owner) -> str:
    """The owner has an authenticator app and recovery codes."""
    from mfa.models import TwoStep

    key = give_authenticator(owner)
    TwoStep(owner).issue_recovery_codes()
    return key


def enter_password(client, user, address=ADDRESS, next_url=None):
    data = {"username": user.email, "password": PASSWORD}
    url = LOGIN if next_url is None else f"{LOGIN}?next={next_url}"
    if next_url is not None:
        data["next"] = next_url
    return client.post(url, data, REMOTE_ADDR=address)


def enter_code(client, code, address=ADDRESS):
    return client.post(SECOND_STEP, {"code": code}, REMOTE_ADDR=address)


def make_stale(client):
    """The session's last sign-in or confirmation is older than REAUTH_SECONDS."""
    session = client.session
    session["mfa_confirmed_at"] = 0
    session.save()
