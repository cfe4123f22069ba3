"""The second step counts toward the login throttle (django-axes, accounts/throttle.py).

A wrong code or passkey counts as a failed login for that account and from that
address, like a wrong password, so five of either pause both; a paused person
gets the same 429 page as at the password step.
"""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse


def _credentials(user) -> dict:
    return {"username": user.get_username() if user is not None else ""}


def is_paused(request: HttpRequest, user) -> bool:
    return not AxesProxyHandler.is_allowed(request, _credentials(user))


def count_failure(request: HttpRequest, user) -> None:
    """A wrong second step: counted against the account (if known) and the address."""
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)


def paused_response(request: HttpRequest, user) -> HttpResponse:
    return get_lockout_response(request, None, _credentials(user))


def paused_after_failure(request: HttpRequest) -> bool:
    """Axes marks the request when this failure was the one that paused logins."""
    return bool(getattr(request, "axes_locked_out", False))
