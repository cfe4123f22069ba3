"""Sign-up by emailed link: the form never says whether an address has an account,
nobody can create an account for an address they don't read, and sign-ups are paced."""

import math
import re
from html import unescape

import pytest
from django.conf import settings
from django.core import mail

from accounts.models import User
from tests.accounts.test_login_proxies import settings_with_env
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

URL = "/accounts/signup/"
FINISH = "/accounts/signup/finish/"


def signup_data(**overrides):
    data = {"email": "New.Person@Example.org", "display_name": "Nia", "timezone": "Asia/Kolkata"}
    data.update(overrides)
    return data


def emailed_link(message) -> str:
    """The one link into the site in the email, checked to be in both parts."""
    link = re.search(re.escape(settings.SITE_URL) + r"(/accounts/signup/finish/\S+/)", message.body)
    assert link is not None, message.body
    assert f'href="{settings.SITE_URL}{link.group(1)}"' in message.alternatives[0][0]
    return link.group(1)


def passwords(password=PASSWORD, confirmation=None):
    return {"password1": password, "password2": confirmation or password}


def comparable(response, email: str) -> str:
    """The page without what differs on every response (nonces, CSRF tokens) or the email."""
    html = response.content.decode().replace(email, "EMAIL")
    html = re.sub(r' nonce="[^"]*"', "", html)
    html = re.sub(r'"X-CSRFToken": "[^"]*"', "", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_it_shows_the_form_with_a_light_time_zone_field_and_no_password(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    # A text box that starts at UTC; the browser's guess and the list of zones
    # come from the script (the page used to carry ~600 options, 31 KB).
    assert 'name="timezone" value="UTC"' in html
    assert "data-guess-timezone" in html and 'data-timezone-list="/accounts/timezones/"' in html
    assert "<option" not in html
    assert len(response.content) < 12_000
    assert 'type="password"' not in html


def test_a_new_email_gets_the_neutral_page_and_a_link_to_finish(client):
    response = client.post(URL, signup_data())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Check your inbox" in html
    assert "new.person@example.org" in html
    assert not User.objects.exists()
    assert FINISH not in html  # the link goes only to the inbox
    [message] = mail.outbox
    assert message.to == ["new.person@example.org"]
    assert message.subject == "Finish setting up your Riverwise account"
    assert emailed_link(message).startswith(FINISH)


def test_the_link_lets_the_person_choose_a_password_and_logs_them_in(client):
    client.post(URL, signup_data())
    link = emailed_link(mail.outbox[0])
    page = client.get(link)
    assert page.status_code == 200
    assert "new.person@example.org" in page.content.decode()
    response = client.post(link, passwords())
    assert response.status_code == 302
    assert response["Location"] == "/"
    user = User.objects.get()
    assert (user.email, user.display_name, user.timezone) == (
        "new.person@example.org",
        "Nia",
        "Asia/Kolkata",
    )
    assert user.password.startswith("md5$")  # hashed, never stored as typed
    assert user.check_password(PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)
    home = client.get("/").content.decode()
    assert "Welcome, Nia. We&#x27;re glad you&#x27;re here." in home
    assert "Hello, Nia" in home


def test_someone_who_skips_their_name_is_welcomed_without_their_address(client):
    client.post(URL, signup_data(display_name=""))
    client.post(emailed_link(mail.outbox[0]), passwords())
    home = client.get("/").content.decode()
    assert "Welcome. We&#x27;re glad you&#x27;re here." in home
    assert "new.person" not in home.split("<main")[1].split("</main>")[0]


def test_a_taken_email_gets_the_same_page_and_status_and_an_email_saying_so(client):
    fresh = client.post(URL, signup_data(email="someone.new@example.org"))
    owner = make_user("new.person@example.org")
    mail.outbox.clear()
    taken = client.post(URL, signup_data(email="NEW.person@example.org "))
    assert taken.status_code == fresh.status_code == 200
    assert comparable(taken, "new.person@example.org") == comparable(
        fresh, "someone.new@example.org"
    )
    assert User.objects.count() == 1
    owner.refresh_from_db()
    assert (owner.display_name, owner.timezone) == ("", "UTC")
    [message] = mail.outbox
    assert message.to == ["new.person@example.org"]
    assert message.subject == "You already have a Riverwise account"
    for part in (message.body, message.alternatives[0][0]):
        assert f"{settings.SITE_URL}/accounts/login/" in part
        assert f"{settings.SITE_URL}/accounts/password/reset/" in part
        assert FINISH not in part


def test_signing_up_someone_elses_address_gives_the_sender_nothing_to_use(client):
    response = client.post(URL, signup_data(email="victim@example.org"))
    assert response.status_code == 200
    assert not User.objects.exists()
    assert FINISH not in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert [m.to for m in mail.outbox] == [["victim@example.org"]]


def test_a_used_link_says_so_and_points_to_log_in(client):
    client.post(URL, signup_data())
    link = emailed_link(mail.outbox[0])
    assert client.post(link, passwords()).status_code == 302
    client.post("/accounts/logout/")
    page = client.get(link)
    assert page.status_code == 200
    assert "already set up" in page.content.decode()
    assert 'href="/accounts/login/"' in page.content.decode()
    again = client.post(link, passwords("another-calm-lake-17"))
    assert again.status_code == 409
    assert "already set up" in again.content.decode()
    assert User.objects.get().check_password(PASSWORD)
    assert "_auth_user_id" not in client.session


def test_an_expired_link_gets_a_clear_400_and_creates_nothing(client, time_machine):
    time_machine.move_to("2026-03-01 12:00:00+00:00", tick=False)
    client.post(URL, signup_data())
    link = emailed_link(mail.outbox[0])
    time_machine.move_to("2026-03-02 12:01:00+00:00", tick=False)
    page = client.get(link)
    assert page.status_code == 400
    assert "expired" in page.content.decode()
    assert client.post(link, passwords()).status_code == 400
    assert not User.objects.exists()


@pytest.mark.parametrize("tamper", [lambda t: t[:-3] + "abc", lambda t: "x" + t, lambda t: "junk"])
def test_a_tampered_link_gets_a_clear_400_and_creates_nothing(client, tamper):
    client.post(URL, signup_data())
    token = emailed_link(mail.outbox[0])[len(FINISH) : -1]
    link = f"{FINISH}{tamper(token)}/"
    page = client.get(link)
    assert page.status_code == 400
    assert "link isn" in page.content.decode()
    assert client.post(link, passwords()).status_code == 400
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"email": ""}, "This field is required."),
        ({"timezone": "Mars/Olympus_Mons"}, "know the time zone “Mars/Olympus_Mons”"),
        ({"timezone": "US/Eastern"}, "know the time zone “US/Eastern”"),
        ({"timezone": "Europe/Lisbn"}, "Did you mean Europe/Lisbon, "),
        ({"display_name": "x" * 61}, "at most 60 characters"),
    ],
)
def test_it_explains_bad_input_and_sends_nothing(client, overrides, message):
    response = client.post(URL, signup_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("chosen", "message"),
    [
        (passwords(PASSWORD, "something-else-99"), "fields didn’t match"),
        (passwords("123"), "too short"),
        (passwords("new.person.example"), "too similar to the email address"),
    ],
)
def test_a_weak_or_mismatched_password_is_explained_and_creates_nothing(client, chosen, message):
    client.post(URL, signup_data())
    response = client.post(emailed_link(mail.outbox[0]), chosen)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_a_logged_in_person_is_sent_home(client, owner):
    client.force_login(owner)
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_sign_ups_are_paced_per_address_with_a_page_saying_when_to_try_again(client, time_machine):
    time_machine.move_to("2026-03-01 12:00:00+00:00", tick=False)
    for n in range(5):
        data = signup_data(email=f"flood{n}@example.org")
        assert client.post(URL, data, REMOTE_ADDR="10.0.0.5").status_code == 200
    response = client.post(URL, signup_data(email="flood5@example.org"), REMOTE_ADDR="10.0.0.5")
    assert response.status_code == 429
    html = response.content.decode()
    assert "try again in about" in html
    minutes = int(re.search(r"try again in about (\d+) minute", html).group(1))
    wait = int(response["Retry-After"])
    assert 60 <= wait <= 3600
    # The page says the same wait as the header, in whole minutes rounded up.
    assert minutes == math.ceil(wait / 60)
    assert len(mail.outbox) == 5
    # Another address is not held up ...
    assert client.post(URL, signup_data(), REMOTE_ADDR="10.0.0.6").status_code == 200
    # ... and the first can sign up again once the hour is over.
    time_machine.move_to("2026-03-01 13:01:00+00:00", tick=False)
    again = client.post(URL, signup_data(email="later@example.org"), REMOTE_ADDR="10.0.0.5")
    assert again.status_code == 200


def test_sign_up_pacing_tells_clients_behind_one_proxy_apart(client, settings):
    for name, value in settings_with_env(AXES_IPWARE_PROXY_COUNT="1").items():
        setattr(settings, name, value)
    behind = {"REMOTE_ADDR": "127.0.0.1"}
    for n in range(5):
        data = signup_data(email=f"flood{n}@example.org")
        client.post(URL, data, HTTP_X_FORWARDED_FOR="198.51.100.7", **behind)
    flood = client.post(URL, signup_data(), HTTP_X_FORWARDED_FOR="10.1.1.1, 198.51.100.7", **behind)
    assert flood.status_code == 429
    neighbour = client.post(URL, signup_data(), HTTP_X_FORWARDED_FOR="203.0.113.20", **behind)
    assert neighbour.status_code == 200


def test_the_pages_that_show_the_email_are_never_stored(client):
    sent = client.post(URL, signup_data())
    finish = client.get(emailed_link(mail.outbox[0]))
    for response in (sent, finish):
        assert response.status_code == 200
        assert "new.person@example.org" in response.content.decode()
        assert "no-store" in response["Cache-Control"]


def test_when_the_mail_server_is_down_the_page_says_so_and_asks_to_try_again(client, settings):
    import socket

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # nothing listens here once the socket closes
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False

    response = client.post(URL, signup_data())

    assert response.status_code == 503
    html = unescape(response.content.decode())
    assert "We couldn't send the email just now" in html
    assert 'value="new.person@example.org"' in html.lower()  # what they typed stays
    assert "Check your inbox" not in html
