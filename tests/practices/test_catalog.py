import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from practices.models import ABANDON_AFTER, Practice
from tests.mfa.factories import sign_in_to_admin
from tests.practices.conftest import practice, started

pytestmark = pytest.mark.django_db


# The seeded catalog ---------------------------------------------------------------


def test_the_catalog_is_seeded_with_the_five_practices():
    assert list(Practice.objects.values_list("slug", "category", "guide")) == [
        ("body-scan", "body", "body_scan"),
        ("grounding", "grounding", "grounding"),
        ("breathwork", "breath", "breathwork"),
        ("wheel-of-awareness", "awareness", "wheel"),
        ("meditation-timer", "awareness", "timer"),
    ]
    for each in Practice.objects.all():
        each.full_clean()
        assert each.rationale and each.summary and each.steps.exists()


def test_the_body_scan_has_about_a_dozen_regions_paced_over_the_offered_durations():
    scan = practice("body-scan")
    assert scan.duration_choices == [3, 5, 10, 20]
    regions = list(scan.steps.all())
    assert len(regions) == 12
    assert regions[0].title == "Feet" and regions[-1].title == "Your whole body"
    assert all(len(region.cue) > 40 for region in regions)


def test_grounding_has_one_step_per_sense_and_a_fallback_for_smell_and_taste():
    steps = {step.key: step.cue for step in practice("grounding").steps.all()}
    assert list(steps) == ["see", "touch", "hear", "smell", "taste"]
    assert "a smell you like" in steps["smell"]
    assert "a taste you enjoy" in steps["taste"]
    assert practice("grounding").duration_choices == []


def test_the_wheel_has_a_hub_four_rim_segments_and_a_rest():
    titles = [step.title for step in practice("wheel-of-awareness").steps.all()]
    assert titles == [
        "Find the hub",
        "Rim: the five senses",
        "Rim: the inner body",
        "Rim: mental activities",
        "Rim: the relational sense",
        "Rest in the hub",
    ]


# Practice rules, as the admin enforces them ---------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"slug": "history"}, "slug"),
        ({"duration_choices": "ten"}, "duration_choices"),
        ({"duration_choices": [5, 500]}, "duration_choices"),
        ({"duration_choices": []}, "duration_choices"),
        ({"default_minutes": 7}, "default_minutes"),
    ],
)
def test_a_practice_with_bad_settings_does_not_validate(changes, field):
    timer = practice("meditation-timer")
    for name, value in changes.items():
        setattr(timer, name, value)
    with pytest.raises(ValidationError) as error:
        timer.full_clean()
    assert field in error.value.message_dict


def test_sense_orders_offer_the_practices_own_order_first_without_repeats():
    orders = practice("grounding").sense_orders()
    assert orders[0] == ("see-touch-hear-smell-taste", "See, touch, hear, smell, taste")
    assert len(orders) == len({value for value, _ in orders}) == 3


# The catalog page ------------------------------------------------------------------


def test_the_catalog_lists_every_practice_with_a_link_to_begin(owner_client):
    response = owner_client.get("/practices/")
    assert response.status_code == 200
    html = response.content.decode()
    for slug in ["body-scan", "grounding", "breathwork", "wheel-of-awareness", "meditation-timer"]:
        assert f'href="/practices/{slug}/"' in html
    assert "3, 5, 10, 20 minutes" in html
    assert "at your own pace" in html
    # The Practise tab is the current one.
    current_tab = r'href="/practices/"\s+aria-current="page">.*?<span>Practise</span>'
    assert re.search(current_tab, html, re.S)


def test_the_catalog_offers_to_continue_only_my_own_unfinished_session(owner_client, stranger):
    theirs = started(stranger, "breathwork")
    mine = started(User.objects.get(email="owner@example.com"), "body-scan")
    html = owner_client.get("/practices/").content.decode()
    assert "Pick up where you left off" in html
    assert mine.get_absolute_url() in html
    assert theirs.get_absolute_url() not in html


def test_a_session_left_for_hours_is_no_longer_offered_to_continue(
    owner_client, owner, time_machine
):
    time_machine.move_to("2026-03-10 09:00:00+00:00", tick=False)
    session = started(owner, "body-scan")
    time_machine.move_to(timezone.now() + ABANDON_AFTER + timedelta(minutes=1), tick=False)
    assert session.get_absolute_url() not in owner_client.get("/practices/").content.decode()
    detail = owner_client.get("/practices/body-scan/").content.decode()
    assert "Continue where you left off" not in detail


def test_the_home_page_links_to_the_catalog(owner_client):
    assert 'href="/practices/"' in owner_client.get("/").content.decode()


@pytest.mark.parametrize("url", ["/practices/", "/practices/breathwork/"])
def test_the_catalog_and_practice_pages_need_a_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


# A practice's own page ----------------------------------------------------------------


def test_a_practice_page_explains_it_and_offers_the_choices(owner_client):
    response = owner_client.get("/practices/body-scan/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "vertical integration" in html
    for minutes in (3, 5, 10, 20):
        assert f'value="{minutes}"' in html
    assert '<input type="hidden" name="request_id"' in html
    assert "<legend>How long?</legend>" in html


def test_the_breathwork_page_describes_every_pattern_modestly(owner_client):
    html = owner_client.get("/practices/breathwork/").content.decode()
    for name in ["Cyclic sighing", "Box breathing", "Resonance breathing", "4-7-8", "Your own"]:
        assert name in html
    assert "Balban" in html and "Steffen" in html
    assert "haven&#x27;t found a trial" in html
    assert 'id="pattern-cyclic-sighing" value="cyclic-sighing"' in html
    # Each choice says in a line what it asks; the longer story sits behind a disclosure.
    assert 'aria-describedby="pattern-4-7-8-summary"' in html
    assert 'id="pattern-4-7-8-summary">In for 4, hold for 7, out for 8.</span>' in html
    disclosure = html.index("<summary>About these patterns and the research</summary>")
    assert html.index("Balban") > disclosure > html.index(">Begin</button>")


def test_an_unknown_practice_is_a_404(owner_client):
    assert owner_client.get("/practices/no-such-thing/").status_code == 404


def test_a_practice_page_offers_to_continue_an_unfinished_session(owner_client, owner):
    session = started(owner, "breathwork")
    html = owner_client.get("/practices/breathwork/").content.decode()
    assert "Continue where you left off" in html
    assert session.get_absolute_url() in html
    assert (
        "Continue where you left off"
        not in owner_client.get("/practices/grounding/").content.decode()
    )


# Editing the catalog in the admin ----------------------------------------------------------


@pytest.fixture
def admin_client(client):
    admin = User.objects.create_superuser("admin@example.com", "a-calm-river-42")
    sign_in_to_admin(client, admin)
    return client


def test_the_admin_lists_practices_and_edits_their_steps_inline(admin_client):
    assert "Wheel of Awareness" in admin_client.get("/admin/practices/practice/").content.decode()
    grounding = practice("grounding")
    url = f"/admin/practices/practice/{grounding.pk}/change/"
    html = admin_client.get(url).content.decode()
    assert "a smell you like" in html

    steps = list(grounding.steps.all())
    data = {
        "name": grounding.name,
        "slug": grounding.slug,
        "category": grounding.category,
        "guide": grounding.guide,
        "summary": grounding.summary,
        "rationale": grounding.rationale,
        "duration_choices": "[]",
        "default_minutes": "",
        "position": grounding.position,
        "steps-TOTAL_FORMS": len(steps),
        "steps-INITIAL_FORMS": len(steps),
        "steps-MIN_NUM_FORMS": 0,
        "steps-MAX_NUM_FORMS": 1000,
    }
    for n, step in enumerate(steps):
        data.update(
            {
                f"steps-{n}-id": step.pk,
                f"steps-{n}-practice": grounding.pk,
                f"steps-{n}-position": step.position,
                f"steps-{n}-key": step.key,
                f"steps-{n}-weight": step.weight,
                f"steps-{n}-title": step.title,
                f"steps-{n}-cue": step.cue,
            }
        )
    data["steps-0-cue"] = "Look around you, slowly."
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    assert grounding.steps.get(key="see").cue == "Look around you, slowly."


def test_practice_sessions_are_not_exposed_in_the_admin(admin_client):
    assert admin_client.get("/admin/practices/practicesession/").status_code == 404
