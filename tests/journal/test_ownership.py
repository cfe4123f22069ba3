"""Another person gets a 404 from every journal address of the owner's, and
nothing of the owner's changes."""

import pytest
from django.urls import reverse
from django.utils import timezone

from journal.models import (
    FacesRating,
    IntegrationCheckIn,
    JournalEntry,
    NamedEmotion,
    Rupture,
    WindowCheckIn,
    WindowState,
)
from tests.journal.factories import make_check_in, make_entry, make_faces, make_rupture


@pytest.fixture
def owners_things(owner):
    entry = make_entry(owner, body="owner's words", feelings=[("sad", 3)], tags=["mine"])
    deleted_entry = make_entry(owner, body="deleted words")
    deleted_entry.soft_delete()
    check_in = make_check_in(owner, note="owner's check-in")
    deleted_check_in = make_check_in(owner)
    deleted_check_in.soft_delete()
    rupture = make_rupture(owner, what_happened="owner's rupture")
    deleted_rupture = make_rupture(owner)
    deleted_rupture.soft_delete()
    return {
        "entry": entry,
        "named": entry.named_emotions.get(),
        "deleted_entry": deleted_entry,
        "check_in": check_in,
        "deleted_check_in": deleted_check_in,
        "rupture": rupture,
        "deleted_rupture": deleted_rupture,
        "faces": make_faces(owner, owner.local_today(), score=4, note="owner's note"),
        "window_check_in": WindowCheckIn.objects.record(owner, WindowState.ABOVE),
    }


def snapshot(owner) -> dict:
    """Everything of the owner's that a request could possibly change."""
    return {
        "entries": list(
            JournalEntry.objects.filter(user=owner)
            .order_by("pk")
            .values_list("body", "local_date", "deleted_at", "is_draft", "updated_at")
        ),
        "named": list(
            NamedEmotion.objects.filter(user=owner).values_list("intensity", "intensity_after")
        ),
        "tags": sorted(
            JournalEntry.objects.filter(user=owner).values_list("tags__name", flat=True),
            key=str,
        ),
        "check_ins": list(
            IntegrationCheckIn.objects.filter(user=owner)
            .order_by("pk")
            .values_list("note", "deleted_at")
        ),
        "ruptures": list(
            Rupture.objects.filter(user=owner)
            .order_by("pk")
            .values_list("what_happened", "repair_status", "deleted_at")
        ),
        "faces": list(FacesRating.objects.filter(user=owner).values_list("flexible", "note")),
        "window": list(WindowCheckIn.objects.filter(user=owner).values_list("state", "checked_at")),
    }


ENTRY_FORM = {"local_date": "2020-01-01", "body": "stranger was here", "tags": "x"}
RUPTURE_FORM = {
    "relationship": "x",
    "ruptured_on": "2020-01-01",
    "what_happened": "stranger was here",
    "repair_status": "not-yet",
}

# (method, url name, which of the owner's things, posted data)
OWNER_URLS = [
    ("get", "journal:entry", "entry", None),
    ("get", "journal:edit", "entry", None),
    ("post", "journal:edit", "entry", ENTRY_FORM),
    ("get", "journal:autosave", "entry", None),
    ("post", "journal:autosave", "entry", ENTRY_FORM),
    ("post", "journal:delete", "entry", {}),
    ("post", "journal:restore", "deleted_entry", {}),
    ("post", "journal:rerate", "named", {"intensity_after": "1"}),
    ("post", "journal:delete_check_in", "check_in", {}),
    ("post", "journal:restore_check_in", "deleted_check_in", {}),
    ("get", "journal:edit_rupture", "rupture", None),
    ("post", "journal:edit_rupture", "rupture", RUPTURE_FORM),
    ("post", "journal:delete_rupture", "rupture", {}),
    ("post", "journal:restore_rupture", "deleted_rupture", {}),
    ("post", "journal:window_check_in_undo", "window_check_in", {}),
]


@pytest.mark.parametrize(("method", "name", "thing", "data"), OWNER_URLS)
@pytest.mark.parametrize("htmx", [False, True])
def test_a_stranger_gets_404_and_changes_nothing(
    stranger_client, owner, owners_things, method, name, thing, data, htmx
):
    url = reverse(name, kwargs={"public_id": owners_things[thing].public_id})
    before = snapshot(owner)
    headers = {"HX-Request": "true"} if htmx else {}
    if method == "get":
        response = stranger_client.get(url, headers=headers)
    else:
        response = stranger_client.post(url, data, headers=headers)
    assert response.status_code == 404
    assert b"owner's" not in response.content and b"owner&#x27;s" not in response.content
    assert snapshot(owner) == before


def test_every_journal_address_with_an_id_is_covered_above():
    from journal.urls import urlpatterns

    with_ids = {f"journal:{p.name}" for p in urlpatterns if "<uuid:public_id>" in str(p.pattern)}
    assert with_ids == {name for _, name, _, _ in OWNER_URLS}


@pytest.mark.parametrize(
    "url",
    [
        "/journal/",
        "/journal/search/",
        "/journal/search/?q=owner",
        "/journal/search/?tag=mine",
        "/journal/faces/",
        "/journal/check-in/",
        "/journal/repair/",
    ],
)
def test_pages_about_me_show_a_stranger_only_their_own(stranger_client, owners_things, url):
    html = stranger_client.get(url).content.decode()
    assert "owner&#x27;s" not in html and "owner's" not in html
    for thing in owners_things.values():
        assert str(thing.public_id) not in html


def test_a_strangers_own_saves_never_touch_the_owners_rows(stranger_client, owner, owners_things):
    before = snapshot(owner)
    faces = dict.fromkeys(["flexible", "adaptive", "coherent", "energized", "stable"], "1")
    stranger_client.post("/journal/faces/", faces | {"note": "stranger"})
    stranger_client.post("/journal/check-in/", {"chaos": "1", "rigidity": "1"})
    stranger_client.post("/journal/repair/new/", RUPTURE_FORM)
    assert snapshot(owner) == before
    assert FacesRating.objects.exclude(user=owner).count() == 1


def test_a_stranger_cannot_write_into_the_owners_draft(stranger_client, owner, stranger):
    key = JournalEntry.new_draft_key(owner)
    data = ENTRY_FORM | {"draft_key": key, "local_date": timezone.localdate().isoformat()}
    assert stranger_client.post("/journal/new/", data).status_code == 400
    assert stranger_client.post("/journal/new/autosave/", data).status_code == 400
    assert not JournalEntry.objects.exists()
