import re
from datetime import date
from html import unescape

import pytest

from journal.models import RepairStatus, Rupture
from tests.journal.factories import make_rupture

LIST = "/journal/repair/"
NEW = "/journal/repair/new/"


def valid(**changes) -> dict:
    return {
        "relationship": "partner",
        "ruptured_on": "2026-03-08",
        "what_happened": "I snapped when we were both tired.",
        "felt": ["frustrated", "ashamed"],
        "my_part": "I didn't say I was exhausted.",
        "repair_status": "not-yet",
        "repaired_on": "",
        "how_it_went": "",
    } | changes


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to("2026-03-10 12:00:00+00:00", tick=False)


def test_the_list_explains_repair_kindly(owner_client):
    response = owner_client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Every close relationship has moments of disconnection." in html
    assert "Nothing open right now." in html


def test_the_form_offers_feeling_words_and_the_three_repair_answers(owner_client):
    html = owner_client.get(NEW).content.decode()
    assert 'name="ruptured_on" value="2026-03-10"' in html
    assert html.count('name="felt"') >= 100
    for value, answer in [("repaired", "Yes"), ("planned", "Planned"), ("not-yet", "Not yet")]:
        assert re.search(rf'name="repair_status" value="{value}"[^>]*>\s*{answer}</label>', html)


def test_a_rupture_is_saved_and_shown_as_open_without_blame(owner_client, owner):
    response = owner_client.post(NEW, valid())
    assert response.status_code == 302 and response["Location"] == LIST
    rupture = Rupture.objects.get()
    assert rupture.user == owner and rupture.repair_status == RepairStatus.NOT_YET
    assert sorted(rupture.felt.values_list("word", flat=True)) == ["ashamed", "frustrated"]
    html = owner_client.get(LIST).content.decode()
    assert "Noticing a rupture is already a step toward repair." in html
    assert "<h3>partner, since Sunday 8 March</h3>" in html
    assert "Not repaired yet." in html and "It has been 2 days." in html
    assert "There's no deadline: repair can happen whenever you both feel ready." in html


def test_logging_the_repair_later_shows_how_long_reconnecting_took(owner_client, owner):
    rupture = make_rupture(owner, ruptured_on=date(2026, 3, 8), felt=["hurt"])
    url = f"/journal/repair/{rupture.public_id}/"
    html = owner_client.get(url).content.decode()
    assert 'value="partner"' in html
    assert re.search(r'value="hurt" id="felt-hurt"[^>]*checked', html)
    response = owner_client.post(
        url,
        valid(repair_status="repaired", repaired_on="2026-03-10", how_it_went="We hugged."),
    )
    assert response.status_code == 302
    rupture.refresh_from_db()
    assert (rupture.repair_status, rupture.days_to_repair) == ("repaired", 2)
    html = owner_client.get(LIST).content.decode()
    assert "You reconnected after 2 days, on Tuesday 10 March." in html
    assert "Nothing open right now." in html


def test_a_same_day_repair_is_described_as_such(owner_client, owner):
    make_rupture(owner, ruptured_on=date(2026, 3, 9), repaired_on=date(2026, 3, 9))
    assert "You reconnected the same day." in owner_client.get(LIST).content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"relationship": ""}, "Add a word for who this was with"),
        ({"what_happened": " "}, "A sentence or two about what happened is enough."),
        ({"ruptured_on": "2026-03-11"}, "That day hasn't come yet where you are."),
        ({"repair_status": "repaired"}, "Add the day you reconnected"),
        ({"repaired_on": "2026-03-09"}, "Leave this empty until you have reconnected"),
        (
            {"repair_status": "repaired", "repaired_on": "2026-03-07"},
            "The repair can't come before the day it happened.",
        ),
        ({"repair_status": "someday"}, "Select a valid choice."),
        ({"felt": ["grumpish"]}, "We don't know the word “grumpish”."),
    ],
)
def test_bad_input_gets_a_field_error_and_nothing_is_saved(owner_client, changes, message):
    response = owner_client.post(NEW, valid(**changes))
    assert response.status_code == 400
    assert message in unescape(response.content.decode())
    assert not Rupture.objects.exists()


def test_a_bad_update_changes_nothing(owner_client, owner):
    rupture = make_rupture(owner, felt=["hurt"])
    response = owner_client.post(
        f"/journal/repair/{rupture.public_id}/", valid(relationship="", felt=["calm"])
    )
    assert response.status_code == 400
    rupture.refresh_from_db()
    assert rupture.relationship == "partner"
    assert list(rupture.felt.values_list("word", flat=True)) == ["hurt"]


def test_a_reflection_can_be_deleted_and_brought_back(owner_client, owner):
    rupture = make_rupture(owner, relationship="my brother")
    owner_client.post(f"/journal/repair/{rupture.public_id}/delete/")
    html = owner_client.get(LIST).content.decode()
    assert "Recently deleted" in html and "since" not in html
    owner_client.post(f"/journal/repair/{rupture.public_id}/restore/")
    rupture.refresh_from_db()
    assert rupture.deleted_at is None


def test_only_the_persons_own_reflections_are_listed(owner_client, stranger):
    make_rupture(stranger, relationship="the stranger's sister")
    assert "sister" not in owner_client.get(LIST).content.decode()
