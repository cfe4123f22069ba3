"""Starting a practice from its page: the options, bad input, and double submits."""

import uuid
from html import unescape

import pytest

from practices.models import PracticeSession

pytestmark = pytest.mark.django_db


def valid(slug: str, **changes) -> dict:
    data = {
        "body-scan": {"minutes": "10"},
        "grounding": {"sense_order": "see-touch-hear-smell-taste"},
        "breathwork": {"pattern": "box", "minutes": "5", "breaths_per_minute": "5.5"},
        "wheel-of-awareness": {"minutes": "15"},
        "meditation-timer": {"minutes": "20", "interval_minutes": "5", "sound": "on"},
    }[slug]
    return {"request_id": str(uuid.uuid4()), **data, **changes}


@pytest.mark.parametrize(
    ("slug", "changes", "parameters", "planned"),
    [
        ("body-scan", {}, {"minutes": 10, "sound": False}, 600),
        (
            "grounding",
            {"sense_order": "see-hear-touch-smell-taste"},
            {"sense_order": ["see", "hear", "touch", "smell", "taste"]},
            None,
        ),
        (
            "breathwork",
            {"pattern": "resonance", "breaths_per_minute": "6.5", "sound": "on"},
            {"minutes": 5, "sound": True, "pattern": "resonance", "breaths_per_minute": 6.5},
            300,
        ),
        (
            "breathwork",
            {"pattern": "custom", "inhale": "4", "hold_in": "", "exhale": "8", "hold_out": "2"},
            {
                "minutes": 5,
                "sound": False,
                "pattern": "custom",
                "inhale": 4,
                "hold_in": 0,
                "exhale": 8,
                "hold_out": 2,
            },
            300,
        ),
        ("wheel-of-awareness", {}, {"minutes": 15, "sound": False}, 900),
        (
            "meditation-timer",
            {},
            {"minutes": 20, "sound": True, "interval_minutes": 5},
            1200,
        ),
    ],
)
def test_beginning_saves_the_chosen_options_and_opens_the_check_in(
    owner_client, owner, slug, changes, parameters, planned
):
    response = owner_client.post(f"/practices/{slug}/", valid(slug, **changes))
    session = PracticeSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/practices/sessions/{session.public_id}/"
    assert (session.user, session.practice.slug) == (owner, slug)
    assert session.parameters == parameters
    assert session.planned_seconds == planned
    assert session.stage == PracticeSession.Stage.BEFORE
    page = owner_client.get(response["Location"]).content.decode()
    assert "How settled do you feel right now?" in page
    assert "Skip the check-in and begin" in page


def test_a_double_submit_begins_one_session(owner_client):
    data = valid("breathwork")
    first = owner_client.post("/practices/breathwork/", data)
    second = owner_client.post("/practices/breathwork/", data)
    assert first["Location"] == second["Location"]
    assert PracticeSession.objects.count() == 1


def test_a_replayed_start_after_the_session_moved_on_changes_nothing(owner_client):
    data = valid("meditation-timer")
    location = owner_client.post("/practices/meditation-timer/", data)["Location"]
    owner_client.post(location + "before/", {"skip": "1"})
    replay = owner_client.post("/practices/meditation-timer/", data)
    assert replay["Location"] == location
    session = PracticeSession.objects.get()
    assert session.stage == PracticeSession.Stage.GUIDE


def test_a_mangled_request_id_still_begins_a_session(owner_client):
    response = owner_client.post("/practices/grounding/", valid("grounding", request_id="nope"))
    assert response.status_code == 302
    assert PracticeSession.objects.count() == 1


@pytest.mark.parametrize(
    ("slug", "changes", "message"),
    [
        ("body-scan", {"minutes": ""}, "Choose how long you'd like to practise."),
        ("body-scan", {"minutes": "7"}, "Select a valid choice."),
        ("grounding", {"sense_order": "taste-first"}, "Select a valid choice."),
        ("breathwork", {"pattern": "hyperventilate"}, "Select a valid choice."),
        (
            "breathwork",
            {"pattern": "resonance", "breaths_per_minute": "8"},
            "Choose at most 7 breaths a minute.",
        ),
        (
            "breathwork",
            {"pattern": "resonance", "breaths_per_minute": "4"},
            "Choose at least 4.5 breaths a minute.",
        ),
        (
            "breathwork",
            {"pattern": "resonance", "breaths_per_minute": ""},
            "Enter how many breaths a minute, such as 5.5.",
        ),
        (
            "breathwork",
            {"pattern": "custom", "inhale": "", "exhale": "6"},
            "Enter a number of seconds for your own pattern.",
        ),
        (
            "breathwork",
            {"pattern": "custom", "inhale": "4", "exhale": "60"},
            "Ensure this value is less than or equal to 20.",
        ),
        (
            "meditation-timer",
            {"minutes": "5", "interval_minutes": "10"},
            "Choose an interval shorter than the time you're sitting.",
        ),
    ],
)
def test_bad_options_get_a_field_error_and_begin_nothing(owner_client, slug, changes, message):
    response = owner_client.post(f"/practices/{slug}/", valid(slug, **changes))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in unescape(html)
    assert 'aria-invalid="true"' in html or 'class="breath-patterns has-error"' in html
    assert PracticeSession.objects.count() == 0


def test_settings_of_a_pattern_not_chosen_are_ignored(owner_client):
    data = valid("breathwork", pattern="box", breaths_per_minute="", inhale="99")
    assert owner_client.post("/practices/breathwork/", data).status_code == 302
    assert PracticeSession.objects.get().parameters["pattern"] == "box"


def test_beginning_needs_a_login(client, owner):
    response = client.post("/practices/breathwork/", valid("breathwork"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert PracticeSession.objects.count() == 0
