import pytest

from journal.models import IntegrationCheckIn
from tests.journal.factories import make_check_in

URL = "/journal/check-in/"
HTMX = {"HX-Request": "true"}


def test_it_works(owner_client):
    response = owner_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for sign in [
        "I could pause before responding",
        "I felt connected with others",
        "Easily overwhelmed",
        "Isolated, cut off or numb",
    ]:
        assert sign in html
    assert 'type="range" name="chaos" value="5" step="1" min="0" max="10"' in html
    assert 'type="range" name="rigidity" value="5"' in html
    # The river is drawn with classes and SVG attributes only, never inline style.
    assert '<circle cx="160"' in html and " style=" not in html
    assert "In the flowing middle (chaos 5, rigidity 5)" in html
    assert 'data-zone-both="Pulled toward both banks"' in html


def test_a_check_in_is_kept_for_the_persons_day_and_placed_on_the_river(
    owner_client, owner, time_machine
):
    time_machine.move_to("2026-03-01 23:30:00+00:00", tick=False)
    response = owner_client.post(
        URL,
        {
            "chaos": "8",
            "rigidity": "1",
            "integration_signs": ["self-awareness"],
            "disintegration_signs": ["scattered", "overwhelmed"],
            "note": "Busy",
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="check-in-panel">')
    assert "Saved. Thank you for checking in with yourself." in html
    assert "Near the chaos bank (chaos 8, rigidity 1)" in html
    assert '<circle cx="69"' in html  # 160 + 13 * (1 - 8)
    assert 'name="chaos" value="5"' in html  # a fresh form for next time
    check_in = IntegrationCheckIn.objects.get()
    assert check_in.user == owner and check_in.local_date.isoformat() == "2026-03-02"
    assert check_in.integration_signs == ["self-awareness"]
    assert check_in.disintegration_signs == ["scattered", "overwhelmed"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"chaos": "11"}, "Choose a number from 0 to 10 for chaos."),
        ({"rigidity": ""}, "Choose a number from 0 to 10 for rigidity."),
        ({"integration_signs": ["telepathy"]}, "Select a valid choice."),
    ],
)
def test_bad_input_gets_a_field_error_and_nothing_is_saved(owner_client, changes, message):
    response = owner_client.post(URL, {"chaos": "3", "rigidity": "3"} | changes, headers=HTMX)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not IntegrationCheckIn.objects.exists()


def test_a_check_in_can_be_deleted_and_brought_back(owner_client, owner):
    check_in = make_check_in(owner, note="oops")
    response = owner_client.post(f"/journal/check-in/{check_in.public_id}/delete/")
    assert response["Location"] == URL
    html = owner_client.get(URL).content.decode()
    assert "Recently deleted" in html and "oops" not in html
    owner_client.post(f"/journal/check-in/{check_in.public_id}/restore/")
    check_in.refresh_from_db()
    assert check_in.deleted_at is None
    assert "oops" in owner_client.get(URL).content.decode()


def test_only_the_persons_own_check_ins_are_listed(owner_client, stranger):
    make_check_in(stranger, note="the stranger's day")
    assert "the stranger&#x27;s day" not in owner_client.get(URL).content.decode()
