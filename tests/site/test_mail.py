"""How the site renders and keeps email: plain text unescaped, HTML escaped, files private."""

import pytest
from django.core import mail

from tests.conftest import make_user

AWKWARD_NAME = 'Sam <&> "Quotes"'


@pytest.mark.django_db
def test_the_password_reset_email_greets_a_name_with_markup_characters_as_typed(client):
    make_user("sam@example.com", display_name=AWKWARD_NAME)
    client.post("/accounts/password/reset/", {"email": "sam@example.com"})
    (message,) = mail.outbox
    assert message.subject == "Reset your Riverwise password"
    assert f"Hello {AWKWARD_NAME}," in message.body
    for part in (message.subject, message.body):
        assert "&lt;" not in part and "&amp;" not in part and "&quot;" not in part
    html = message.alternatives[0][0]
    assert "Hello Sam &lt;&amp;&gt; &quot;Quotes&quot;," in html
    assert AWKWARD_NAME not in html


def test_the_password_reset_subject_is_rendered_without_html_escaping():
    # Django's reset form renders the subject with the site's (escaping) engine.
    from django.template.loader import render_to_string

    subject = render_to_string(
        "accounts/emails/password-reset-subject.txt", {"site_name": "Rivers & <Streams>"}
    )
    assert subject.strip() == "Reset your Rivers & <Streams> password"
