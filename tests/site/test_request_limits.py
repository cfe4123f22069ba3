"""A request larger than we accept is refused with words, and nothing is saved."""

import pytest
from django.conf import settings

from journal.models import BODY_MAX_LENGTH, JournalEntry
from tests.journal.test_new_entry import new_entry_form

pytestmark = pytest.mark.django_db


def test_a_longest_allowed_entry_in_four_byte_characters_fits_under_the_request_limit(
    owner_client, owner
):
    body = "🌊" * BODY_MAX_LENGTH
    response = owner_client.post("/journal/new/", new_entry_form(owner_client) | {"body": body})

    assert response.status_code == 302
    assert JournalEntry.objects.get(user=owner).body == body


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_a_request_over_the_limit_gets_413_with_a_clear_message_and_saves_nothing(
    owner_client, owner, htmx
):
    body = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    headers = {"HX-Request": "true"} if htmx else {}
    data = new_entry_form(owner_client) | {"body": body}
    response = owner_client.post("/journal/new/", data, headers=headers)

    assert response.status_code == 413
    html = response.content.decode()
    assert "too much to send at once" in html
    assert "up to 2 MB" in html
    assert not JournalEntry.objects.filter(is_draft=False).exists()


def test_too_many_fields_get_413_too(owner_client):
    data = {f"field{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = owner_client.post("/journal/new/", data)
    assert response.status_code == 413
    assert not JournalEntry.objects.exists()


def test_other_malformed_requests_get_a_plain_400_page(client):
    response = client.get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert "couldn't read that request" in response.content.decode()
