"""Data keys: one per person, made once, wrapped by ENCRYPTION_KEYS, rotated
without touching sealed text, cached briefly, and gone with the account."""

import base64
import os
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from accounts.models import User
from ipnb_site.env import envkeys
from journal.models import JournalEntry, Rupture, Tag, WindowMap
from tests.conftest import PASSWORD, make_user
from tests.journal.factories import make_entry, make_rupture
from vault import keyring
from vault.crypto import UnreadableText, open_text, parse_key_encryption_keys
from vault.models import DataKey

pytestmark = pytest.mark.django_db


def new_key(key_id: str) -> str:
    return f"{key_id}:{base64.b64encode(os.urandom(32)).decode()}"


def test_production_start_up_stops_naming_the_variable_when_keys_are_missing(monkeypatch):
    monkeypatch.delenv("ENCRYPTION_KEYS", raising=False)
    with pytest.raises(ImproperlyConfigured, match="ENCRYPTION_KEYS must be set"):
        envkeys("ENCRYPTION_KEYS", development_default=None)


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("no-colon-here", "id:base64key"),
        ("k1:not base64!", "not valid base64"),
        (f"k1:{base64.b64encode(b'short').decode()}", "must be 32 bytes"),
        (f"{new_key('k1')},{new_key('k1')}", "appears twice"),
    ],
    ids=["no colon", "not base64", "short", "one id twice"],  # the same in every process
)
def test_malformed_keys_stop_start_up_saying_what_is_wrong(monkeypatch, raw, says):
    monkeypatch.setenv("ENCRYPTION_KEYS", raw)
    with pytest.raises(ImproperlyConfigured, match="ENCRYPTION_KEYS") as raised:
        envkeys("ENCRYPTION_KEYS", development_default=None)
    assert says in str(raised.value)


def test_development_uses_the_fixed_key_when_none_is_set(monkeypatch):
    monkeypatch.delenv("ENCRYPTION_KEYS", raising=False)
    (key,) = envkeys("ENCRYPTION_KEYS", development_default=new_key("dev"))
    assert key.key_id == "dev" and "secret" not in repr(key)


def test_one_data_key_per_person_made_at_their_first_words(owner, stranger):
    assert not DataKey.objects.exists()
    make_entry(owner, "One")
    make_entry(owner, "Two")
    make_entry(stranger, "Three")
    assert DataKey.objects.count() == 2
    assert DataKey.objects.get(user=owner).unwrap() != DataKey.objects.get(user=stranger).unwrap()
    assert len(DataKey.objects.get(user=owner).unwrap()) == 32


def test_a_page_of_entries_costs_one_key_look_up_then_none(
    owner_client, owner, django_assert_num_queries
):
    for n in range(20):
        make_entry(owner, f"Entry {n}")
    entries = list(JournalEntry.objects.filter(user=owner))
    keyring.forget_all()
    with django_assert_num_queries(1):
        assert all(entry.body.startswith("Entry") for entry in entries)
    fresh = list(JournalEntry.objects.filter(user=owner))
    with django_assert_num_queries(0):
        assert all(entry.body.startswith("Entry") for entry in fresh)


def test_the_key_cache_is_bounded(monkeypatch, db):
    monkeypatch.setattr(keyring, "KEY_CACHE_SIZE", 3)
    users = [make_user(f"p{n}@example.com") for n in range(5)]
    for user in users:
        keyring.keys_for(user.pk)
    assert list(keyring._cache) == [user.pk for user in users[-3:]]


def test_rotation_rewraps_every_key_and_leaves_text_readable_under_the_new_key_alone(
    settings, owner, stranger
):
    old, new = new_key("old"), new_key("new")
    settings.ENCRYPTION_KEYS = parse_key_encryption_keys(old)
    people = [owner, stranger] + [make_user(f"p{n}@example.com") for n in range(3)]
    for n, person in enumerate(people):
        make_entry(person, f"Words of person {n}")
    sealed_before = set(JournalEntry.objects.values_list("body", flat=True))
    assert set(DataKey.objects.values_list("kek_id", flat=True)) == {"old"}

    settings.ENCRYPTION_KEYS = parse_key_encryption_keys(f"{new},{old}")
    out = StringIO()
    call_command("rotate_encryption_keys", "--batch-size", "2", stdout=out)
    assert "Re-wrapped 5 data keys under 'new'" in out.getvalue()
    assert "None is left under an older key" in out.getvalue()
    # Someone writing during the rotation gets a key under the new one at once.
    newcomer = make_user("new@example.com")
    make_entry(newcomer, "Arrived mid-rotation")

    # Old key gone: everything still opens.
    settings.ENCRYPTION_KEYS = parse_key_encryption_keys(new)
    keyring.forget_all()
    assert set(DataKey.objects.values_list("kek_id", flat=True)) == {"new"}
    for n, person in enumerate(people):
        assert JournalEntry.objects.get(user=person).body == f"Words of person {n}"
    # Sealed text itself never changed: only the small wrapped keys did.
    assert sealed_before <= set(JournalEntry.objects.values_list("body", flat=True))

    again = StringIO()
    call_command("rotate_encryption_keys", stdout=again)
    assert "Re-wrapped 0 data keys" in again.getvalue()


def test_after_rotation_tags_relationships_and_signs_still_open_and_tags_are_still_found(
    settings, owner
):
    old, new = new_key("old"), new_key("new")
    settings.ENCRYPTION_KEYS = parse_key_encryption_keys(old)
    make_entry(owner, "Tagged", tags=["heron walks"])
    make_rupture(owner, relationship="my sister")
    WindowMap.objects.create(user=owner, above_signs=["tense"], below_signs=["numb"])
    sealed_before = {
        (Tag, "name"): set(Tag.objects.values_list("name", flat=True)),
        (Tag, "name_key"): {bytes(k) for k in Tag.objects.values_list("name_key", flat=True)},
        (Rupture, "relationship"): set(Rupture.objects.values_list("relationship", flat=True)),
    }

    settings.ENCRYPTION_KEYS = parse_key_encryption_keys(f"{new},{old}")
    call_command("rotate_encryption_keys", stdout=StringIO())
    settings.ENCRYPTION_KEYS = parse_key_encryption_keys(new)
    keyring.forget_all()

    # The fingerprint comes from the data key, which rotation keeps: names are still found.
    assert list(Tag.objects.named(owner, ["heron walks"])) == ["heron walks"]
    assert (
        bytes(Tag.objects.get().name_key) in sealed_before[(Tag, "name_key")]
        and set(Tag.objects.values_list("name", flat=True)) == sealed_before[(Tag, "name")]
    )
    assert Rupture.objects.get().relationship == "my sister"
    assert (
        set(Rupture.objects.values_list("relationship", flat=True))
        == sealed_before[(Rupture, "relationship")]
    )
    window = WindowMap.objects.get()
    assert (window.above_signs, window.below_signs) == (["tense"], ["numb"])


def test_a_key_wrapped_under_a_key_no_longer_listed_says_so(settings, owner):
    settings.ENCRYPTION_KEYS = parse_key_encryption_keys(new_key("gone"))
    make_entry(owner, "Before")
    settings.ENCRYPTION_KEYS = parse_key_encryption_keys(new_key("other"))
    keyring.forget_all()
    with pytest.raises(UnreadableText, match="'gone'.*no longer lists"):
        _ = JournalEntry.objects.get(user=owner).body


def test_deleting_the_account_destroys_its_data_key_so_a_backup_copy_cannot_open(
    owner_client, owner, stranger
):
    make_entry(stranger, "Someone else's, so a key is left to try")
    entry = make_entry(owner, "Private")
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM journal_journalentry WHERE id = %s", [entry.pk])
        (backup_copy,) = cursor.fetchone()
    assert DataKey.objects.filter(user=owner).exists()

    assert owner_client.post("/accounts/delete/", {"password": PASSWORD}).status_code == 302

    assert not User.objects.filter(pk=owner.pk).exists()
    assert not DataKey.objects.filter(user_id=owner.pk).exists()
    assert owner.pk not in keyring._cache
    # The copy opens with no key that is left.
    place = JournalEntry._meta.get_field("body").place_at(owner.pk, entry.public_id)
    for key in DataKey.objects.all():
        with pytest.raises(UnreadableText):
            open_text(key.unwrap(), backup_copy, place)
