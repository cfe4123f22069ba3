"""The half-signed-in state between the password and the second step.

After the right password, a person with two-step sign-in on is not logged in:
the session holds only who they said they are and when, for PENDING_SECONDS,
and no page with data opens for it. Passing the second step logs them in
through django.contrib.auth.login(), so `user_logged_in` fires as for any login.

A session that has passed a second factor is marked (SECOND_STEP_PASSED): the
admin opens only for such sessions (mfa/admin_site.py).
"""

import time

from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url

from mfa.reauth import safe_next

PENDING = "mfa_pending_sign_in"
PENDING_SECONDS = 5 * 60
SECOND_STEP_PASSED = "mfa_second_step_passed"


def begin_second_step(
    request: HttpRequest, user, next_url: str, backend: str | None = None
) -> HttpResponse:
    """`backend` is the one that checked the password: `user.backend` unless given."""
    request.session.cycle_key()
    request.session[PENDING] = {
        "user": user.pk,
        "backend": backend or user.backend,
        "next": next_url,
        "at": time.time(),
    }
    return redirect("mfa:second_step")


def pending_sign_in(request: HttpRequest) -> dict | None:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    return pending


def pending_user(request: HttpRequest):
    pending = pending_sign_in(request)
    if pending is None:
        return None
    return get_user_model().objects.filter(pk=pending["user"], is_active=True).first()


def finish_sign_in(request: HttpRequest, user, backend: str, next_url: str | None) -> HttpResponse:
    request.session.pop(PENDING, None)
    login(request, user, backend=backend)
    mark_second_step_passed(request)
    return redirect(safe_next(request, next_url, resolve_url(settings.LOGIN_REDIRECT_URL)))


def mark_second_step_passed(request: HttpRequest) -> None:
    """This session has shown a second factor (or, for someone turning their first one
    on, every factor they have): an app code, a recovery code or a passkey."""
    request.session[SECOND_STEP_PASSED] = str(request.user.pk)


def second_step_passed(request: HttpRequest) -> bool:
    """Whether the signed-in person's session has passed the second step."""
    user = request.user
    return user.is_authenticated and request.session.get(SECOND_STEP_PASSED) == str(user.pk)
