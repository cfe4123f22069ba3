"""The window of tolerance: a person's own signs, and a one-tap check-in."""

import copy
import json
import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction

from journal.models import (
    SIGNS_MAX,
    WindowCheckIn,
    WindowMap,
    WindowState,
)
from portability.export import export_data
from portability.importing import ImportProblem, plan_import
from tests.progress.factories import ensure_catalog_and_vocabulary

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)  # 16:00 in Berlin, the owner's zone


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture(autouse=True)
def catalog(db):
    ensure_catalog_and_vocabulary()


def text(response) -> str:
    return unescape(response.content.decode())


def words(response) -> str:
    """What a person reads: the page's text without its tags, spaces joined."""
    return " ".join(re.sub(r"<[^>]+>", " ", text(response)).split()).replace(" .", ".")


# The map, by every door ------------------------------------------------------------


@pytest.mark.parametrize(
    ("signs", "problem"),
    [
        (["tense", "Tense"], "“Tense” is there twice."),
        (["x" * 41], "Keep each sign to 40 characters or fewer."),
        ([f"sign {n}" for n in range(SIGNS_MAX + 1)], "Up to 8 signs on each side"),
        ("racing", "Please give your signs as a list of short words."),
        ([" padded "], "Please give your signs as a list of short words."),
        (["two\nlines"], "Please give your signs as a list of short words."),
        ([3], "Please give your signs as a list of short words."),
    ],
)
def test_the_model_refuses_signs_that_are_not_a_short_list_of_short_words(owner, signs, problem):
    window = WindowMap(user=owner, above_signs=signs)
    with pytest.raises(ValidationError) as refused:
        window.full_clean()
    assert problem in " ".join(refused.value.message_dict["above_signs"])


def test_signs_are_mapped_from_suggestions_and_own_words(owner_client, owner):
    response = owner_client.get("/journal/window/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = text(response)
    assert 'value="racing thoughts"' in html and 'value="numb"' in html

    response = owner_client.post(
        "/journal/window/",
        {
            "above_suggested": ["tense", "snappy"],
            "above_signs": "jaw clenched, Tense,  talking fast ",
            "below_suggested": ["foggy"],
            "below_signs": "far from everyone",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/"
    window = WindowMap.objects.get(user=owner)
    assert window.above_signs == ["tense", "snappy", "jaw clenched", "talking fast"]
    assert window.below_signs == ["foggy", "far from everyone"]

    # Shown again as ticks and the person's own words.
    html = text(owner_client.get("/journal/window/"))
    assert 'value="tense" id="id_above_suggested_1" checked' in html
    assert 'value="jaw clenched, talking fast"' in html


def test_the_form_meets_the_models_rule(owner_client, owner):
    response = owner_client.post(
        "/journal/window/", {"above_signs": ", ".join(f"s{n}" for n in range(9))}
    )
    assert response.status_code == 400
    assert "Up to 8 signs on each side" in text(response)
    assert not WindowMap.objects.exists()


def test_only_one_map_per_person_by_the_databases_rule(owner):
    WindowMap.objects.create(user=owner, above_signs=["tense"])
    with pytest.raises(IntegrityError), transaction.atomic():
        WindowMap.objects.create(user=owner, below_signs=["numb"])


def test_the_map_and_check_ins_travel_in_the_data_file_and_meet_the_models_rules_there(
    owner, stranger
):
    WindowMap.objects.create(user=owner, above_signs=["tense"], below_signs=["numb"])
    WindowCheckIn.objects.record(owner, WindowState.ABOVE)
    data = json.loads(json.dumps(export_data(owner), cls=DjangoJSONEncoder))
    assert data["window_map"] == {"above_signs": ["tense"], "below_signs": ["numb"]}
    (row,) = data["window_check_ins"]
    assert row["state"] == "above"

    plan = plan_import(stranger, copy.deepcopy(data))
    assert len(plan.kinds["window_check_ins"].new) == 1

    bad_signs = copy.deepcopy(data)
    bad_signs["window_map"]["above_signs"] = ["same", "Same"]
    with pytest.raises(ImportProblem) as refused:
        plan_import(stranger, bad_signs)
    assert any("“Same” is there twice." in line for line in refused.value.details)

    bad_state = copy.deepcopy(data)
    bad_state["window_check_ins"][0]["state"] = "sideways"
    with pytest.raises(ImportProblem):
        plan_import(stranger, bad_state)


# The check-in -------------------------------------------------------------------


def test_a_check_in_is_one_tap_on_the_persons_own_day(owner_client, owner):
    response = owner_client.post("/journal/window/now/", {"state": "above"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    (check_in,) = WindowCheckIn.objects.filter(user=owner)
    assert check_in.state == "above" and check_in.checked_at == NOW
    assert check_in.local_date == NOW.astimezone(owner.zone).date()
    html = text(response)
    assert "Noted: above my window." in words(response)
    assert "A long, slow breath out" in html and 'href="/practices/breathwork/"' in html


@pytest.mark.parametrize(
    ("state", "said", "practice"),
    [
        ("below", "Coming back through your senses", "/practices/grounding/"),
        (
            "within",
            "Within your window you can think, feel and connect",
            "/practices/wheel-of-awareness/",
        ),
    ],
)
def test_each_state_suggests_its_own_practice_and_says_why(owner_client, state, said, practice):
    html = text(
        owner_client.post("/journal/window/now/", {"state": state}, headers={"HX-Request": "true"})
    )
    assert said in html and f'href="{practice}"' in html
    assert "<html" not in html  # the card alone, for htmx


@pytest.mark.parametrize("state", ["", "sideways", "ABOVE"])
def test_an_unknown_state_is_refused_and_nothing_is_kept(owner_client, state):
    response = owner_client.post("/journal/window/now/", {"state": state})
    assert response.status_code == 400
    assert not WindowCheckIn.objects.exists()


def test_the_database_refuses_an_unknown_state_too(owner):
    with pytest.raises(IntegrityError), transaction.atomic():
        WindowCheckIn.objects.create(user=owner, state="sideways", local_date=NOW.date())


def test_a_check_in_day_after_the_persons_today_is_refused(owner):
    check_in = WindowCheckIn.now_for(owner, NOW + timedelta(days=2))
    check_in.state = "within"
    with pytest.raises(ValidationError) as refused:
        check_in.full_clean()
    assert "local_date" in refused.value.message_dict


def test_the_check_in_goes_back_only_to_a_page_of_this_site(owner_client):
    response = owner_client.post(
        "/journal/window/now/", {"state": "within", "next": "https://elsewhere.example/"}
    )
    assert 'href="/"' in text(response) and "elsewhere.example" not in text(response)


def test_the_practice_page_offers_a_compact_check_in_without_the_persons_signs(owner_client, owner):
    WindowMap.objects.create(user=owner, above_signs=["my secret sign"])
    html = text(owner_client.get("/practices/breathwork/"))
    assert "Before you begin: where are you?" in html
    assert 'name="compact" value="1"' in html
    assert "my secret sign" not in html
    response = owner_client.post(
        "/journal/window/now/",
        {"state": "below", "compact": "1", "next": "/practices/breathwork/"},
        headers={"HX-Request": "true"},
    )
    html = text(response)
    assert "Noted: below my window. Begin whenever you're ready." in words(response)
    assert "Coming back through your senses" not in html  # the set-up page stays small


# Another person -------------------------------------------------------------------


def test_another_person_sees_and_changes_none_of_the_owners_window(
    stranger_client, owner, stranger
):
    WindowMap.objects.create(user=owner, above_signs=["owner's own sign"])
    WindowCheckIn.objects.record(owner, WindowState.BELOW)
    html = text(stranger_client.get("/journal/window/"))
    assert "owner's own sign" not in html
    html = text(stranger_client.get("/"))
    assert "owner's own sign" not in html
    stranger_client.post("/journal/window/", {"above_signs": "mine"})
    stranger_client.post("/journal/window/now/", {"state": "within"})
    assert WindowMap.objects.get(user=owner).above_signs == ["owner's own sign"]
    assert WindowMap.objects.get(user=stranger).above_signs == ["mine"]
    assert list(WindowCheckIn.objects.filter(user=owner).values_list("state", flat=True)) == [
        "below"
    ]


def test_a_check_in_can_be_taken_back_and_the_buttons_come_back(owner_client, owner):
    WindowMap.objects.create(user=owner, above_signs=["jaw tight"])
    tapped = owner_client.post("/journal/window/now/", {"state": "above"}, headers=HTMX)
    (check_in,) = WindowCheckIn.objects.filter(user=owner)
    undo = f"/journal/window/now/{check_in.public_id}/undo/"
    assert f'action="{undo}"' in text(tapped)

    response = owner_client.post(undo, {"next": "/"}, headers=HTMX)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert not WindowCheckIn.objects.filter(user=owner).exists()
    html = text(response)
    assert "Taken back." in html and "jaw tight" in html and 'value="above"' in html
    assert "<header" not in html  # the card alone, swapped in place

    # Without JavaScript: back to the page it came from, and the same once more is a 404.
    WindowCheckIn.objects.record(owner, WindowState.WITHIN)
    again = WindowCheckIn.objects.get(user=owner)
    response = owner_client.post(f"/journal/window/now/{again.public_id}/undo/", {"next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert owner_client.post(f"/journal/window/now/{again.public_id}/undo/").status_code == 404


def test_another_person_cant_take_back_the_owners_check_in(stranger_client, owner):
    WindowCheckIn.objects.record(owner, WindowState.BELOW)
    check_in = WindowCheckIn.objects.get(user=owner)
    url = f"/journal/window/now/{check_in.public_id}/undo/"
    assert stranger_client.post(url, headers=HTMX).status_code == 404
    assert stranger_client.get(url).status_code == 405
    assert WindowCheckIn.objects.filter(user=owner).count() == 1


def test_signing_in_is_needed(client):
    for url in ("/journal/window/", "/journal/window/now/"):
        response = client.post(url, {"state": "above"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not WindowCheckIn.objects.exists()


# Today -----------------------------------------------------------------------------


def test_today_shows_the_persons_own_signs_on_the_buttons(owner_client, owner):
    WindowCheckIn.objects.record(owner, WindowState.WITHIN)  # past the first run
    WindowMap.objects.create(user=owner, above_signs=["tense", "snappy"], below_signs=["numb"])
    html = text(owner_client.get("/"))
    assert "Your window, right now" in html
    assert '<span class="window-signs" id="window-above-signs">tense, snappy</span>' in html
    assert '<span class="window-signs" id="window-below-signs">numb</span>' in html
    assert "Change your signs" in html


def test_a_changed_map_shows_on_today_at_once(owner_client, owner):
    WindowCheckIn.objects.record(owner, WindowState.WITHIN)
    assert "revved up, too much" in text(owner_client.get("/"))
    owner_client.post("/journal/window/", {"above_signs": "heart racing"})
    html = text(owner_client.get("/"))
    assert "heart racing" in html and "revved up, too much" not in html
