import pytest

from journal.models import FacesRating
from tests.journal.factories import make_faces

URL = "/journal/faces/"
HTMX = {"HX-Request": "true"}
ALL_THREES = dict.fromkeys(["flexible", "adaptive", "coherent", "energized", "stable"], "3")
QUALITY_LABELS = ["Flexible", "Adaptive", "Coherent", "Energized", "Stable"]


def test_it_works(owner_client):
    response = owner_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for quality in ["Flexible", "Adaptive", "Coherent", "Energized", "Stable"]:
        assert f"<legend>{quality}</legend>" in html
    # Both ends of each scale are labelled in words: beside the number for screen
    # readers, and under the row of segments for the eye.
    assert '1<span class="visually-hidden"> (stuck in one way)</span>' in html
    assert '5<span class="visually-hidden"> (full of life)</span>' in html
    assert "<span>drained</span><span>full of life</span>" in html
    assert 'hx-history="false"' in html


def test_it_needs_a_login(client):
    assert client.get(URL)["Location"].startswith("/accounts/login/")


def test_a_rating_is_kept_for_the_persons_own_day(owner_client, owner, time_machine):
    # 23:30 UTC on 1 March is 2 March in Berlin.
    time_machine.move_to("2026-03-01 23:30:00+00:00", tick=False)
    response = owner_client.post(URL, ALL_THREES | {"stable": "5", "note": "Calm\r\nmorning"})
    assert response.status_code == 302
    rating = FacesRating.objects.get()
    assert rating.user == owner and rating.local_date.isoformat() == "2026-03-02"
    assert (rating.flexible, rating.stable, rating.note) == (3, 5, "Calm\nmorning")
    assert "Today&#x27;s FACES rating is saved." in owner_client.get(URL).content.decode()


def test_rating_again_the_same_day_replaces_the_rating(owner_client, owner):
    owner_client.post(URL, ALL_THREES)
    html = owner_client.get(URL).content.decode()
    assert "Saving again replaces that rating." in html
    assert 'name="flexible" value="3" required id="id_flexible_2" checked' in html
    owner_client.post(URL, ALL_THREES | {"flexible": "1"})
    assert FacesRating.objects.count() == 1
    assert FacesRating.objects.get().flexible == 1


def test_saving_with_htmx_swaps_the_panel_and_says_so(owner_client, owner, time_machine):
    time_machine.move_to("2026-03-10 12:00:00+00:00", tick=False)
    response = owner_client.post(URL, ALL_THREES, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="faces-panel">')
    assert "Saved for Tuesday 10 March." in html
    assert '<th scope="row">Tue 10 Mar</th>' in html
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"stable": ""}, "Choose a number from 1 to 5 for how stable you feel."),
        ({"coherent": "6"}, "Choose a number from 1 to 5 for how coherent you feel."),
        ({"note": "x" * 5001}, "Ensure this value has at most 5000 characters"),
    ],
)
def test_bad_input_gets_a_field_error_and_nothing_is_saved(owner_client, changes, message):
    response = owner_client.post(URL, ALL_THREES | changes, headers=HTMX)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and 'aria-invalid="true"' in html
    assert not FacesRating.objects.exists()


def test_a_bad_second_rating_leaves_the_first_alone(owner_client, owner):
    make_faces(owner, owner.local_today(), score=4)
    owner_client.post(URL, ALL_THREES | {"adaptive": "0"})
    assert FacesRating.objects.get().adaptive == 4


def test_only_the_persons_own_ratings_are_shown(owner_client, owner, stranger):
    make_faces(stranger, owner.local_today(), score=1, note="stranger's")
    html = owner_client.get(URL).content.decode()
    assert "Your ratings will show here" in html
    assert "You&#x27;ve already rated today" not in html


def test_recent_days_show_each_quality_in_faces_order(owner_client, owner):
    make_faces(owner, owner.local_today(), score=4)
    html = owner_client.get(URL).content.decode()
    headings = "".join(f'<th scope="col">{q}</th>' for q in ["Day", *QUALITY_LABELS])
    assert f"<thead><tr>{headings}</tr></thead>" in html
    assert "<td>4</td>" * 5 in html
