"""A page never fails on a stored value: a session whose stored parameters are
unusable (written straight to the database, as an old import could have) shows
what it can, with the practice's own defaults, quickly."""

import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from practices.models import Practice, PracticeSession

pytestmark = pytest.mark.django_db

HOSTILE = [
    ("grounding", {"sense_order": ["see"] * 400_000}),
    ("grounding", {"sense_order": "see-touch"}),
    ("breathwork", {"pattern": "resonance", "breaths_per_minute": 0}),
    ("breathwork", {"pattern": "resonance", "breaths_per_minute": "abc"}),
    ("breathwork", {"pattern": "custom", "exhale": 6}),
    ("breathwork", {"pattern": "custom", "inhale": "4", "exhale": [6]}),
    ("meditation-timer", {"minutes": 10, "interval_minutes": "often"}),
    ("body-scan", ["not", "an", "object"]),
]


def stored_session(user, slug: str, parameters, stage: str) -> PracticeSession:
    now = timezone.now()
    practice = Practice.objects.get(slug=slug)
    session = PracticeSession.objects.create(
        user=user,
        practice=practice,
        request_id=uuid.uuid4(),
        stage=stage,
        started_at=now - timedelta(minutes=2),
        last_seen_at=now,
        clock_started_at=now - timedelta(minutes=1) if stage == "guide" else None,
        local_date=now.date(),
        planned_seconds=600 if practice.is_timed else None,
        seconds_practised=60,
    )
    # Straight to the database: no validation stands in the way.
    PracticeSession.objects.filter(pk=session.pk).update(parameters=parameters)
    return session


@pytest.mark.parametrize("stage", ["guide", "done"])
@pytest.mark.parametrize(("slug", "parameters"), HOSTILE)
def test_a_session_with_unusable_stored_parameters_still_shows_every_page(
    owner_client, owner, slug, parameters, stage
):
    session = stored_session(owner, slug, parameters, stage)
    started = time.monotonic()
    pages = {
        url: owner_client.get(url)
        for url in (
            session.get_absolute_url(),
            "/practices/history/",
            "/",
            "/progress/report/",
        )
    }
    for url, response in pages.items():
        assert response.status_code == 200, url
    assert time.monotonic() - started < 5
    assert owner_client.post("/progress/data/riverwise.json").status_code == 200
    assert owner_client.post("/progress/data/riverwise-csv.zip").status_code == 200


def test_a_grounding_session_with_a_huge_sense_order_falls_back_to_the_practices_own_order(
    owner_client, owner
):
    session = stored_session(owner, "grounding", {"sense_order": ["see"] * 400_000}, "guide")
    html = owner_client.get(session.get_absolute_url()).content.decode()
    steps = Practice.objects.get(slug="grounding").steps.count()
    assert f"Step 1 of {steps}" in html


def test_a_breathwork_session_with_a_broken_pattern_shows_the_default_pattern(owner_client, owner):
    session = stored_session(owner, "breathwork", {"pattern": "custom", "exhale": 6}, "guide")
    html = owner_client.get(session.get_absolute_url()).content.decode()
    assert "Cyclic sighing" in html


@pytest.mark.parametrize(
    ("slug", "parameters", "field_message"),
    [
        ("grounding", {"sense_order": ["see"] * 400_000}, "Choose one of the orders"),
        ("breathwork", {"pattern": "resonance", "breaths_per_minute": 0}, "at least 4.5"),
        ("breathwork", {"pattern": "resonance", "breaths_per_minute": "abc"}, "such as 5.5"),
        ("breathwork", {"pattern": "custom", "exhale": 6}, "Enter a number of seconds"),
        ("breathwork", {"pattern": "square"}, "Choose one of the patterns"),
        ("meditation-timer", {"minutes": 10, "interval_minutes": 7}, "interval bell"),
        ("meditation-timer", {"minutes": 5, "interval_minutes": 5}, "shorter than"),
        ("body-scan", {"minutes": 10, "colour": "blue"}, "“colour”"),
    ],
)
def test_the_session_model_refuses_parameters_its_start_form_would_refuse(
    owner, slug, parameters, field_message
):
    session = PracticeSession(
        user=owner,
        practice=Practice.objects.get(slug=slug),
        local_date=datetime(2026, 11, 24, tzinfo=UTC).date(),
        parameters=parameters,
    )
    with pytest.raises(ValidationError) as refused:
        session.clean()
    assert field_message in " ".join(refused.value.message_dict["parameters"])


@pytest.mark.parametrize(
    ("slug", "parameters"),
    [
        ("grounding", {"sense_order": ["see", "touch", "hear", "smell", "taste"]}),
        (
            "breathwork",
            {"minutes": 5, "sound": True, "pattern": "resonance", "breaths_per_minute": 6.5},
        ),
        (
            "breathwork",
            {
                "minutes": 5,
                "sound": False,
                "pattern": "custom",
                "inhale": 4,
                "hold_in": 0,
                "exhale": 6,
                "hold_out": 2,
            },
        ),
        ("meditation-timer", {"minutes": 10, "sound": True, "interval_minutes": 5}),
        ("body-scan", {"minutes": 10, "sound": False}),
        ("grounding", {"minutes": 12}),  # practice logged by hand
        ("breathwork", {}),
    ],
)
def test_the_session_model_accepts_what_the_app_itself_saves(owner, slug, parameters):
    session = PracticeSession(
        user=owner,
        practice=Practice.objects.get(slug=slug),
        local_date=datetime(2026, 11, 24, tzinfo=UTC).date(),
        parameters=parameters,
    )
    session.clean()
