"""`for_user(user)` means one thing on every model: that person's visible rows."""

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from accounts.ownership import OwnedQuerySet
from reminders.models import ReminderPreferences

OWNED_MODELS = [model for model in apps.get_models() if hasattr(model._default_manager, "for_user")]


def test_every_model_that_offers_for_user_shares_the_one_meaning():
    assert OWNED_MODELS, "no model offers for_user"
    for model in OWNED_MODELS:
        assert isinstance(model._default_manager.all(), OwnedQuerySet), model._meta.label


@pytest.mark.django_db
@pytest.mark.parametrize("model", OWNED_MODELS, ids=lambda model: model._meta.label)
def test_for_user_is_a_queryset_of_the_persons_rows_and_nothing_for_a_visitor(model, owner):
    assert isinstance(model.objects.for_user(owner), QuerySet)
    assert model.objects.for_user(AnonymousUser()).query.is_empty()


@pytest.mark.django_db
def test_reminder_preferences_are_the_defaults_until_the_person_changes_one(owner, stranger):
    defaults = ReminderPreferences.objects.get_or_default(owner)
    assert defaults.pk is None and defaults.user == owner and defaults.skip_when_done

    ReminderPreferences.objects.create(user=stranger, skip_when_done=False)
    assert ReminderPreferences.objects.get_or_default(owner).pk is None

    saved = ReminderPreferences.objects.create(user=owner, skip_when_done=False)
    assert ReminderPreferences.objects.get_or_default(owner) == saved
