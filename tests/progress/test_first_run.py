"""Today for a newcomer: a name to be greeted by, a first practice, three ideas."""

import re
from html import unescape

import pytest

from accounts.models import User
from practices.models import PracticeSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(db) -> User:
    return User.objects.create_user("river.walker@example.com", "a long passphrase", timezone="UTC")


@pytest.fixture
def newcomer_client(client, newcomer):
    client.force_login(newcomer)
    return client


def today(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_a_person_without_a_name_is_not_greeted_by_their_email(newcomer_client):
    html = today(newcomer_client)
    assert "<h1>Hello</h1>" in html
    assert "river.walker" not in html.split("<main")[1]
    assert 'name="display_name"' in html and 'action="/progress/name/"' in html


def test_it_saves_the_name_and_greets_by_it(newcomer_client, newcomer):
    response = newcomer_client.post("/progress/name/", {"display_name": "  Rowan "})
    assert response.status_code == 302 and response["Location"] == "/"
    newcomer.refresh_from_db()
    assert newcomer.display_name == "Rowan"
    html = today(newcomer_client)
    assert "Hello, Rowan" in html and "Thank you, Rowan." in html
    assert 'name="display_name"' not in html


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "Write a name, or leave this for now"), ("x" * 61, "Keep it to 60 characters")],
)
def test_a_name_the_model_refuses_gets_a_clear_message_and_a_400(
    newcomer_client, newcomer, name, message
):
    response = newcomer_client.post("/progress/name/", {"display_name": name})
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert message in html and 'aria-invalid="true"' in html
    assert "<h1>Hello</h1>" in html
    newcomer.refresh_from_db()
    assert newcomer.display_name == ""


def test_setting_a_name_changes_only_your_own_account(client, owner, stranger):
    client.force_login(stranger)
    client.post("/progress/name/", {"display_name": "Mallory", "email": owner.email})
    owner.refresh_from_db()
    stranger.refresh_from_db()
    assert owner.display_name == "Olive" and owner.email == "owner@example.com"
    assert stranger.display_name == "Mallory" and stranger.email == "stranger@example.com"


def test_setting_a_name_needs_a_signed_in_post(client, newcomer_client):
    assert newcomer_client.get("/progress/name/").status_code == 405
    client.logout()
    response = client.post("/progress/name/", {"display_name": "Rowan"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_first_practice_form_starts_three_minutes_of_breathing(newcomer_client, newcomer):
    html = today(newcomer_client)
    form = re.search(
        r'<form method="post" action="(/practices/breathwork/)"(.*?)</form>', html, re.S
    )
    assert form
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form.group(2)))
    response = newcomer_client.post(form.group(1), fields)
    assert response.status_code == 302
    session = PracticeSession.objects.for_user(newcomer).get()
    assert session.practice.slug == "breathwork"
    assert session.parameters["minutes"] == 3
    # Once something is recorded, Today shows the person's figures instead.
    html = today(newcomer_client)
    assert "Start here" not in html and "Practice strength" in html


def test_first_run_costs_few_queries(newcomer_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):  # session, user, the first practice
        assert newcomer_client.get("/").status_code == 200
