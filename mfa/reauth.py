"""Re-authentication before sensitive actions ("Confirm it's you").

Signing in, or confirming on `mfa:confirm`, marks the session as confirmed; for
REAUTH_SECONDS after that, downloads, deleting the account and changes to
two-step sign-in go ahead. Later they send the person to confirm first, then
back to where they were going.
"""

import time
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect

CONFIRMED_AT = "mfa_confirmed_at"


def mark_confirmed(request: HttpRequest) -> None:
    request.session[CONFIRMED_AT] = time.time()


def signed_in_just_now(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """Every sign-in passed every factor the person has, so it counts as confirming."""
    if request is not None and hasattr(request, "session"):
        mark_confirmed(request)


def recently_confirmed(request: HttpRequest) -> bool:
    confirmed_at = request.session.get(CONFIRMED_AT)
    if not isinstance(confirmed_at, int | float):
        return False
    return 0 <= time.time() - confirmed_at <= settings.REAUTH_SECONDS


def safe_next(request: HttpRequest, candidate: str | None, default: str) -> str:
    """Where to go after a step: the asked-for address if it's on this site, else default."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def confirm_url(next_url: str) -> str:
    return f"{reverse('mfa:confirm')}?{urlencode({'next': next_url})}"


def confirmation_required(return_to: str | None = None) -> Callable:
    """The view runs only within REAUTH_SECONDS of confirming it's them.

    A GET comes back to its own address after confirming; a POST can't be
    replayed, so it comes back to the page named by `return_to`, where the
    person presses the button again.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if recently_confirmed(request):
                return view(request, *args, **kwargs)
            if request.method in ("GET", "HEAD") or return_to is None:
                target = request.get_full_path()
            else:
                target = reverse(return_to)
            if getattr(request, "htmx", False):
                return HttpResponseClientRedirect(confirm_url(target))
            return redirect(confirm_url(target))

        return wrapped

    return decorator
