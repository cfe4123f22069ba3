import pytest

from accounts.models import User
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

URL = "/accounts/signup/"


def signup_data(**overrides):
    data = {
        "email": "New.Person@Example.org",
        "display_name": "Nia",
        "timezone": "Asia/Kolkata",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def test_it_shows_the_form_with_grouped_time_zones(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<optgroup label="Europe">' in html
    assert 'value="Europe/Berlin"' in html
    assert "data-guess-timezone" in html


def test_it_creates_the_account_and_logs_in(client):
    response = client.post(URL, signup_data())
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "new.person@example.org"
    assert user.timezone == "Asia/Kolkata"
    assert user.display_name == "Nia"
    assert user.password.startswith("md5$")  # hashed, never stored as typed
    assert client.session["_auth_user_id"] == str(user.pk)
    home = client.get("/")
    assert "Hello, Nia" in home.content.decode()


def test_it_rejects_an_email_that_is_taken_in_any_case(client):
    make_user("new.person@example.org")
    response = client.post(URL, signup_data())
    assert response.status_code == 400
    assert "There is already an account with this email" in response.content.decode()
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"timezone": "Mars/Olympus_Mons"}, "Select a valid choice."),
        ({"timezone": "US/Eastern"}, "Select a valid choice."),
        ({"password2": "something-else-99"}, "fields didn’t match"),
        ({"password1": "123", "password2": "123"}, "too short"),
        ({"display_name": "x" * 61}, "at most 60 characters"),
    ],
)
def test_it_explains_bad_input_and_saves_nothing(client, overrides, message):
    response = client.post(URL, signup_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert User.objects.count() == 0


def test_a_logged_in_person_is_sent_home(client, owner):
    client.force_login(owner)
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/"
