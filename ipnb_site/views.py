import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from ipnb_site.http import HtmxRequest
from progress.views import today_context
from vault.crypto import UnreadableText


@require_safe
def home(request: HtmxRequest) -> HttpResponse:
    """A visitor meets the app; a signed-in person meets Today."""
    if not request.user.is_authenticated:
        return render(request, "home.html")
    return render(request, "home.html", today_context(request.user))


@require_safe
def crisis(request: HtmxRequest) -> HttpResponse:
    return render(request, "crisis.html")


def csrf_failure(request: HtmxRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)


def bad_request(request: HtmxRequest, exception: Exception) -> HttpResponse:
    """Django refused the request before any view ran; say why in words.

    An oversized body gets 413 and says how much we accept: the person's
    words are still in their browser, so they can shorten them and resend.
    """
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        return too_much_to_send(limit_mb=settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024))
    return HttpResponse(render_to_string("400.html"), status=400)


def too_much_to_send(*, limit_mb: float, is_file: bool = False) -> HttpResponse:
    """The 413 page: how much we accept, and that nothing from the request was kept."""
    context = {"limit_mb": limit_mb, "is_file": is_file}
    return HttpResponse(render_to_string("413.html", context), status=413)


def _database_unreachable(error: BaseException | None) -> bool:
    # Django wraps most driver errors, but not all (closing a server-side cursor
    # on a cut connection raises psycopg's own), so check the driver's too.
    driver = connection.Database  # type: ignore[attr-defined]  # the DB-API module
    kinds = (OperationalError, InterfaceError, driver.OperationalError, driver.InterfaceError)
    return isinstance(error, kinds)


def server_error(request: HtmxRequest) -> HttpResponse:
    """A friendly 503 while the database can't be reached; a plain 500 otherwise.

    Both pages are rendered without the request context: looking up the user
    would need the database that just failed.
    """
    if _database_unreachable(sys.exc_info()[1]):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "10"
        return response
    if isinstance(sys.exc_info()[1], UnreadableText):
        # Logged with its place (never its text); the person hears what it means.
        return HttpResponseServerError(render_to_string("vault/unreadable.html"))
    return HttpResponseServerError(render_to_string("500.html"))


@require_safe
def healthz(request: HtmxRequest) -> HttpResponse:
    """For load balancers (and the load benchmark's bare baseline): no database, no templates."""
    return HttpResponse("ok", content_type="text/plain")
