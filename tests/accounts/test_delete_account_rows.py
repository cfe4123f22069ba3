"""Deleting an account removes every row of that person, in every table, and
nothing of anyone else's. Models are read from the app registry, so a table
added later is checked too."""

import re
from datetime import UTC, date, datetime

import pytest
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import models
from django.test import Client

from accounts.models import User
from journal.models import LookBackPlan, WindowCheckIn, WindowMap
from portability.models import ImportedRow, ImportUpload, PendingImport
from tests.conftest import PASSWORD
from tests.mfa.factories import give_two_step_sign_in
from tests.portability.factories import make_rich_history
from tests.progress.factories import ensure_catalog_and_vocabulary, make_history
from tests.push.factories import make_subscription

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)


def paths_to_user(model, prefix="", seen=()) -> list[str]:
    """ORM lookups from `model` to a user's pk, through any chain of foreign keys."""
    if model is User:
        return [f"{prefix}pk" if prefix else "pk"]
    lookups = []
    for field in model._meta.get_fields():
        if (
            isinstance(field, models.ForeignKey | models.OneToOneField)
            and field.concrete
            and field.related_model not in seen
        ):
            lookups += paths_to_user(field.related_model, f"{prefix}{field.name}__", (*seen, model))
    return lookups


# Login records name the account by its email, not by a key (the failure log is off).
BY_EMAIL = {"axes.AccessAttempt", "axes.AccessLog"}


def rows_of(user_pk) -> dict[str, int]:
    """For every table: how many rows lead to this person (soft-deleted ones too)."""
    owned = {}
    email = User.objects.filter(pk=user_pk).values_list("email", flat=True).first()
    for label in BY_EMAIL:
        owned[label] = apps.get_model(label).objects.filter(username=email).count()
    for model in apps.get_models(include_auto_created=True):
        lookups = paths_to_user(model)
        if lookups:
            condition = models.Q()
            for lookup in lookups:
                condition |= models.Q(**{lookup: user_pk})
            owned[model._meta.label] = model._base_manager.filter(condition).distinct().count()
    return owned


def all_rows() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def give_everything(user, client):
    make_history(user, date(2026, 9, 1), TODAY)
    make_rich_history(user, TODAY)
    make_subscription(user)
    user.journal_entries.first().soft_delete()  # waiting out its undo window
    WindowMap.objects.create(user=user, above_signs=["tense"], below_signs=["numb"])
    WindowCheckIn.objects.record(user, "above")
    LookBackPlan.objects.create(user=user, starts_on=TODAY)
    PendingImport.objects.hold(user, "old.json", {"format": "riverwise-export"}, summary={})
    ImportUpload.objects.take_turn(user)  # an upload's time
    # A row of another app's file, remembered so it isn't imported twice.
    ImportedRow.objects.create(user=user, fingerprint="0" * 64, entry=user.journal_entries.last())
    LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(user.pk),
        object_repr=str(user),
        action_flag=ADDITION,
    )
    user.groups.add(Group.objects.get_or_create(name="volunteers")[0])
    user.user_permissions.add(Permission.objects.get(codename="view_user"))
    # A mistyped password elsewhere and the right one here leave login records.
    wrong = {"username": user.email, "password": "mistyped"}
    Client().post("/accounts/login/", wrong, REMOTE_ADDR="203.0.113.7")
    right = {"username": user.email, "password": PASSWORD}
    assert client.post("/accounts/login/", right).status_code == 302
    assert client.post("/progress/data/riverwise.json").status_code == 200  # a download's time
    # Two-step sign-in: an authenticator app, recovery codes and a passkey.
    give_two_step_sign_in(user)
    # A share link, made on its page, and the therapist's opening of it.
    link = {"start": "2026-11-01", "end": "2026-11-24", "shows_faces": "on", "lifetime_days": "7"}
    made = client.post("/progress/share/", link).content.decode()
    token = re.search(r"/shared/([\w-]+)/", made)[1]
    assert Client().get(f"/shared/{token}/").status_code == 200


def test_deleting_an_account_removes_every_row_of_that_person_and_only_theirs(
    owner, stranger, time_machine
):
    time_machine.move_to(datetime(2026, 11, 24, 15, 0, tzinfo=UTC), tick=False)
    ensure_catalog_and_vocabulary()
    owner_client, stranger_client = Client(), Client()
    give_everything(owner, owner_client)
    give_everything(stranger, stranger_client)

    owned = rows_of(owner.pk)
    strangers = rows_of(stranger.pk)
    before = all_rows()
    # The test means something only if the person has rows in every kind of table.
    assert all(owned[label] > 0 for label in owned), {k: v for k, v in owned.items() if not v}

    response = owner_client.post("/accounts/delete/", {"password": PASSWORD})
    assert response.status_code == 302

    assert set(rows_of(owner.pk).values()) == {0}
    assert rows_of(stranger.pk) == strangers
    after = all_rows()
    for label, count in before.items():
        if label == "sessions.Session":
            continue  # logging out removed the owner's own session row
        assert after[label] == count - owned.get(label, 0), label
    sessions = [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()]
    assert str(owner.pk) not in sessions and str(stranger.pk) in sessions
    assert stranger_client.post("/progress/data/riverwise.json").status_code == 200
