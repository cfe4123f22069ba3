"""Two-step sign-in in a real Chromium: a passkey made by the DevTools virtual
authenticator (CDP's WebAuthn domain), then signing in with it alone; and an
authenticator app's codes on a phone, with every new page checked by axe."""

import base64
import re

from playwright.sync_api import expect

from mfa.models import Passkey, TwoStep
from tests.browser.measure import phone, widest_overflow
from tests.conftest import PASSWORD, make_user
from tests.mfa.factories import totp_code


def add_virtual_authenticator(page) -> tuple:
    """A platform authenticator with resident keys that verifies its user (a fingerprint)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, added["authenticatorId"]


def log_in_with_password(page, a11y, email):
    page.goto("/accounts/login/")
    a11y()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()


def log_out(page, a11y):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Me").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Me")
    a11y()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in", exact=True)).to_be_visible()


def test_add_a_passkey_then_sign_in_with_it_alone(page, a11y):
    user = make_user("rowan@example.com", display_name="Rowan")
    cdp, authenticator_id = add_virtual_authenticator(page)
    log_in_with_password(page, a11y, user.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Rowan")

    page.goto("/accounts/settings/")
    a11y()
    page.get_by_role("link", name="Two-step sign-in and passkeys").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-step sign-in")
    a11y()
    page.get_by_label("Name this passkey").fill("This laptop")
    page.get_by_role("button", name="Add a passkey").click()

    # The first factor brings ten recovery codes, shown once.
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.get_by_role("list", name="Recovery codes").get_by_role("listitem")).to_have_count(
        10
    )
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    a11y()
    passkey = Passkey.objects.get(user=user)
    assert passkey.name == "This laptop"
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})
    [credential] = credentials["credentials"]
    assert credential["isResidentCredential"]
    stored_id = base64.urlsafe_b64decode(credential["credentialId"] + "==")
    assert stored_id == bytes(passkey.credential_id)

    page.get_by_role("link", name="I've saved them").click()
    expect(page.locator(".factor-list strong")).to_have_text("This laptop")
    expect(page.get_by_text("not used yet")).to_be_visible()
    a11y()
    log_out(page, a11y)

    # Signing in: no email, no password, just the passkey.
    page.goto("/accounts/login/")
    a11y()
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Rowan")
    passkey.refresh_from_db()
    assert passkey.last_used_at is not None
    a11y()

    # With the passkey on, the password alone is only the first step; the passkey is the second.
    log_out(page, a11y)
    log_in_with_password(page, a11y, user.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("One more step")
    a11y()
    page.get_by_role("button", name="Use your passkey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Rowan")


@phone
def test_turn_on_an_authenticator_app_and_sign_in_with_its_code_on_a_phone(page, a11y):
    user = make_user("ash@example.com", display_name="Ash")
    log_in_with_password(page, a11y, user.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Ash")

    page.goto("/accounts/two-step/")
    a11y()
    page.get_by_role("link", name="Set up an authenticator app").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    expect(page.locator(".qr-code svg")).to_be_visible()
    a11y()
    assert widest_overflow(page) == []
    page.get_by_text("Can't scan it? Type this key instead").click()
    secret = re.sub(r"\s", "", page.locator(".secret-key").inner_text())
    key = base64.b32decode(secret + "=" * (-len(secret) % 8)).hex()
    page.get_by_label("The 6-digit code your app shows").fill(totp_code(key))
    page.get_by_role("button", name="Turn it on").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    a11y()
    assert widest_overflow(page) == []
    assert TwoStep(user).authenticator is not None
    page.get_by_role("link", name="I've saved them").click()
    expect(page.get_by_text("On. Your app shows")).to_be_visible()
    a11y()

    # "Confirm it's you" as it looks on a phone.
    page.goto("/accounts/two-step/confirm/?next=/accounts/two-step/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it's you")
    a11y()
    log_out(page, a11y)

    log_in_with_password(page, a11y, user.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("One more step")
    a11y()
    # The code used to turn the app on is spent; the app's next one works.
    page.get_by_label("Code from your app, or a recovery code").fill(totp_code(key, step_offset=1))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Ash")
    a11y()
