import re

import pytest
from django.core import mail

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-new-steady-bank-77"


def test_password_change_needs_the_old_password(owner_client, owner):
    response = owner_client.post(
        "/accounts/password/",
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 400
    assert "Your old password was entered incorrectly" in response.content.decode()
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_password_change_keeps_this_session_logged_in(owner_client, owner):
    response = owner_client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD)
    assert owner_client.get("/accounts/settings/").status_code == 200


def test_password_reset_by_email_end_to_end(client, owner, settings):
    response = client.post("/accounts/password/reset/", {"email": "OWNER@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["owner@example.com"]
    assert message.subject == "Reset your Riverwise password"
    html = message.alternatives[0][0]
    link_pattern = re.escape(settings.SITE_URL) + r"(/accounts/password/reset/\S+/\S+/)"
    link = re.search(link_pattern, message.body).group(1)
    assert link in html

    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD)
    # The link works once.
    assert "This link has expired" in client.get(link, follow=True).content.decode()


def test_password_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []


def test_the_reset_link_comes_from_site_url_not_from_the_requests_host(client, owner, settings):
    settings.SITE_URL = "https://riverwise.example"
    response = client.post(
        "/accounts/password/reset/", {"email": owner.email}, HTTP_HOST="localhost:6666"
    )
    assert response.status_code == 302
    message = mail.outbox[0]
    prefix = "https://riverwise.example/accounts/password/reset/"
    assert (
        re.search(r"https?://\S+/accounts/password/reset/\S+/", message.body)
        .group(0)
        .startswith(prefix)
    )
    assert f'href="{prefix}' in message.alternatives[0][0]
    assert "localhost:6666" not in message.body + message.alternatives[0][0]
