"""Login throttling and pacing: who an attempt is counted against.

django-axes counts failures per account and per client address (see the AXES_*
settings). These helpers make both counts hard to dodge: an account is one
account however its email is typed, and a success only clears what it proves.
"""

from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from axes.utils import reset
from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage

from accounts.models import User


def throttled_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The account an attempt is counted against: `Ana@X.org ` and `ana@x.org` are one."""
    if credentials is not None:
        typed = credentials.get("username")
    else:
        typed = getattr(request, "POST", {}).get("username")
    if typed is None:
        return None
    return User.objects.normalize_email(str(typed))


def client_address(request: HttpRequest) -> str | None:
    """The client's address as the throttle sees it (through the trusted proxies only)."""
    return get_client_ip_address(request)


def clear_own_failures(sender, request: HttpRequest | None, user: User, **kwargs) -> None:
    """A right password proves only that this person, from this address, mistyped.

    So it clears the failures against this account from this address, and nothing
    else: not other accounts' failures from the address, nor this account's
    failures from elsewhere (which may be someone guessing).
    """
    if request is None:
        return
    address = client_address(request)
    if address:
        reset(ip=address, username=User.objects.normalize_email(user.get_username()))


def forget_login_records(user: User) -> None:
    """A deleted account leaves no trace in the login records (addresses, browsers)."""
    username = User.objects.normalize_email(user.get_username())
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=username).delete()


def signup_wait(request: HttpRequest, *, count: bool) -> int | None:
    """Seconds until this client may ask for another sign-up link, or None if it may now.

    Sign-ups are paced per client address (the same address the login throttle
    sees) at SIGNUP_RATE; `count` records this request as one.
    """
    usage = get_usage(
        request,
        group="accounts.signup",
        key=lambda group, request: client_address(request) or "",
        rate=settings.SIGNUP_RATE,
        increment=count,
    )
    if usage is None or not usage["should_limit"]:
        return None
    # time_left is -1 when the cache could not count: refuse, and say a minute.
    return max(usage["time_left"], 60)
