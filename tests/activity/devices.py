"""Browsers for the tests, and signing in from them through the real login page."""

from django.test import Client

from activity.models import DEVICE_SESSION_KEY, DeviceSession
from tests.conftest import PASSWORD

FIREFOX_ON_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
CHROME_ON_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
SAFARI_ON_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"
)


def signed_in_from(user_agent: str, email: str, password: str = PASSWORD) -> Client:
    """A browser that signed in with the login form, as a person does."""
    browser = Client(HTTP_USER_AGENT=user_agent)
    response = browser.post("/accounts/login/", {"username": email, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return browser


def is_signed_in(browser: Client) -> bool:
    return browser.get("/accounts/me/").status_code == 200


def row_of(browser: Client) -> DeviceSession:
    """The browser's own row in Where you're signed in."""
    return DeviceSession.objects.get(public_id=browser.session[DEVICE_SESSION_KEY])
