"""The steps each process keeps a copy of (ipnb_site/reference.py): read once, yet
an edit shows at once in the process that made it and within a minute in the rest."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ipnb_site import reference
from practices.models import Practice, PracticeStep
from tests.practices.conftest import started

pytestmark = pytest.mark.django_db


def page_of(client, session) -> str:
    return client.get(session.get_absolute_url()).content.decode()


def first_step(slug: str) -> PracticeStep:
    return PracticeStep.objects.filter(practice__slug=slug).order_by("position", "id")[0]


def test_a_warm_process_shows_a_session_and_moves_it_without_reading_the_steps(owner_client, owner):
    session = started(owner, "body-scan", minutes=3)
    cue = first_step("body-scan").cue
    page_of(owner_client, session)
    with CaptureQueriesContext(connection) as queries:
        assert cue in page_of(owner_client, session)
        owner_client.post(session.get_absolute_url() + "next/", {"step": 0})
        owner_client.post(session.get_absolute_url() + "finish/", {"step": 1})
    read = [query["sql"] for query in queries if "practices_practicestep" in query["sql"]]
    assert read == []
    session.refresh_from_db()
    assert session.stage == "after" and session.step == 1


def test_an_edit_saved_here_shows_on_the_next_page_at_once(owner_client, owner):
    session = started(owner, "body-scan", minutes=3)
    page_of(owner_client, session)
    step = first_step("body-scan")
    step.cue = "Rest your attention on your toes, as they are."
    step.save()  # as the admin saves it
    assert "Rest your attention on your toes, as they are." in page_of(owner_client, session)


def test_an_edit_made_by_another_process_shows_within_the_minute(owner_client, owner, monkeypatch):
    session = started(owner, "body-scan", minutes=3)
    old_cue = first_step("body-scan").cue
    page_of(owner_client, session)
    # An update sends no signal: to this process it is another process's edit.
    PracticeStep.objects.filter(pk=first_step("body-scan").pk).update(cue="Toes, softly.")
    assert old_cue in page_of(owner_client, session)

    now = reference.monotonic()
    monkeypatch.setattr(reference, "monotonic", lambda: now + reference.KEEP_SECONDS + 1)
    html = page_of(owner_client, session)
    assert "Toes, softly." in html and old_cue not in html


def test_a_practice_added_by_another_process_has_its_steps_at_once(owner):
    Practice.objects.get(slug="body-scan").ordered_steps  # noqa: B018  # the copy is made
    added = Practice.objects.bulk_create(
        [Practice(slug="feet", name="Feet", guide=Practice.Guide.BODY_SCAN, category="body")]
    )[0]
    PracticeStep.objects.bulk_create(
        [
            PracticeStep(practice=added, position=0, title="Left foot", cue="The left foot."),
            PracticeStep(practice=added, position=1, title="Right foot", cue="The right foot."),
        ]
    )
    assert [step.title for step in added.ordered_steps] == ["Left foot", "Right foot"]


def test_a_deleted_step_is_gone_from_the_next_page(owner_client, owner):
    session = started(owner, "body-scan", minutes=3)
    page_of(owner_client, session)
    last = PracticeStep.objects.filter(practice__slug="body-scan").order_by("position").last()
    last.delete()
    assert last.title not in [step.title for step in session.practice.ordered_steps]
