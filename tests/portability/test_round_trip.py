"""Export, delete the account, sign up again, import: nothing is lost."""

import json
import re
from datetime import UTC, date, datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from tests.conftest import PASSWORD
from tests.portability.factories import make_rich_history
from tests.progress.factories import make_history

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)

# What belongs to the account rather than its content: a new account has new ones.
ACCOUNT_ONLY = {"id", "date_joined", "last_login"}


def comparable(data: dict) -> dict:
    data = {key: value for key, value in data.items() if key != "exported_at"}
    data["account"] = {k: v for k, v in data["account"].items() if k not in ACCOUNT_ONLY}
    return data


def test_export_delete_sign_up_again_import_loses_nothing(client, owner, stranger, time_machine):
    time_machine.move_to(datetime(2026, 11, 24, 15, 0, tzinfo=UTC), tick=False)
    make_history(owner, date(2026, 6, 1), date(2026, 11, 20))
    make_rich_history(owner, TODAY)
    make_history(stranger, date(2026, 10, 1), TODAY)
    client.force_login(owner)

    before = client.post("/progress/data/riverwise.json").content
    assert client.post("/accounts/delete/", {"password": PASSWORD}).status_code == 302
    assert not User.objects.filter(email=owner.email).exists()

    response = client.post(
        "/accounts/signup/", {"email": owner.email, "display_name": "", "timezone": "UTC"}
    )
    assert response.status_code == 200
    link = re.search(r"/accounts/signup/finish/\S+/", mail.outbox[-1].body).group(0)
    response = client.post(link, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    reborn = User.objects.get(email=owner.email)
    assert reborn.pk != owner.pk

    file = SimpleUploadedFile("riverwise-2026-11-24.json", before, "application/json")
    preview = client.post("/progress/data/import/", {"file": file})["Location"]
    assert client.post(preview, {"restore_settings": "on"}).status_code == 302

    after = client.post("/progress/data/riverwise.json").content
    assert comparable(json.loads(after)) == comparable(json.loads(before))
    assert len(json.loads(after)["practice_sessions"]) > 100
    # The other person's history is untouched by all of this.
    assert stranger.practice_sessions.count() > 20
