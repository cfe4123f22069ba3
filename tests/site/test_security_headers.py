import re

import pytest

pytestmark = pytest.mark.django_db


def csp_directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def test_scripts_need_our_origin_or_this_responses_nonce(client):
    response = client.get("/accounts/signup/")
    directives = csp_directives(response)
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    nonce = re.search(r"'nonce-([^']+)'", " ".join(directives["script-src"])).group(1)
    html = response.content.decode()
    htmx_tag = re.search(r'<script src="/static/django_htmx/htmx-2.min.js"[^>]*>', html).group(0)
    assert f'nonce="{nonce}"' in htmx_tag
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]


def test_each_response_gets_a_fresh_nonce(client):
    first = re.search(r"'nonce-([^']+)'", client.get("/").headers["Content-Security-Policy"])
    second = re.search(r"'nonce-([^']+)'", client.get("/").headers["Content-Security-Policy"])
    assert first.group(1) != second.group(1)


def test_no_inline_script_or_style_is_served(client, owner):
    client.force_login(owner)
    for url in ["/", "/accounts/settings/", "/crisis/"]:
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert "<style" not in html and " style=" not in html, url


def test_baseline_headers(client):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "HttpOnly" in str(response.cookies.get("csrftoken", ""))


def test_passwords_are_hashed_with_argon2_in_production():
    from ipnb_site import settings as production

    assert production.PASSWORD_HASHERS[0] == "accounts.hashers.Argon2PasswordHasher"


def test_browser_features_the_app_never_uses_are_switched_off(client):
    policy = {
        name.strip(): value.strip()
        for name, value in (
            part.split("=", 1) for part in client.get("/")["Permissions-Policy"].split(",")
        )
    }
    for feature in ["camera", "microphone", "geolocation", "payment", "usb", "serial", "bluetooth"]:
        assert policy[feature] == "()", feature
    # The practice tones use Web Audio, which needs no permission; autoplay stays ours.
    assert "autoplay" not in policy
