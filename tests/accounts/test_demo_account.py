from io import StringIO

import pytest
from django.core.management import call_command

from accounts.management.commands.create_demo_account import DEMO_EMAIL, DEMO_PASSWORD
from accounts.models import User

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("create_demo_account", *args, stdout=out)
    return out.getvalue()


def test_the_demo_account_is_created_with_the_demo_password():
    printed = run()
    user = User.objects.get(email=DEMO_EMAIL)
    assert user.check_password(DEMO_PASSWORD)
    assert "Created" in printed and DEMO_PASSWORD in printed


def test_running_again_keeps_a_password_the_person_changed():
    run()
    user = User.objects.get(email=DEMO_EMAIL)
    user.set_password("my-own-choice-77")
    user.save()
    printed = run()
    user.refresh_from_db()
    assert user.check_password("my-own-choice-77")
    assert DEMO_PASSWORD not in printed
    assert User.objects.filter(email=DEMO_EMAIL).count() == 1


def test_reset_password_puts_the_demo_password_back():
    run()
    user = User.objects.get(email=DEMO_EMAIL)
    user.set_password("my-own-choice-77")
    user.save()
    run("--reset-password")
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)
