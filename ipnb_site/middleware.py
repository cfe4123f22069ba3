import io
from dataclasses import dataclass

from django.conf import settings
from django.core.handlers.wsgi import get_path_info
from django.shortcuts import resolve_url
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers
from django_htmx.http import HttpResponseClientRedirect

from ipnb_site.views import too_much_to_send
from portability.reading import IMPORT_MAX_BYTES


class HtmxLoginRedirectMiddleware:
    """Send an htmx request whose session expired to the login page as a whole.

    Without this, htmx follows the redirect and swaps the login form into
    whatever fragment was being refreshed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            getattr(request, "htmx", False)
            and response.status_code == 302
            and response["Location"].startswith(resolve_url(settings.LOGIN_URL))
        ):
            return HttpResponseClientRedirect(response["Location"])
        return response


# Request bodies -------------------------------------------------------------

MB = 1024 * 1024
# A multipart upload carries its file plus boundaries, part headers and the CSRF token.
MULTIPART_ALLOWANCE = 64 * 1024


@dataclass(frozen=True)
class BodyLimit:
    most_bytes: int  # the largest body accepted
    said_mb: float  # what the 413 page tells the person
    is_file: bool = False


def request_body_limit(path_info: str) -> BodyLimit:
    """The most a request body to this address may hold: the one place that says so.

    Every address takes DATA_UPLOAD_MAX_MEMORY_SIZE, except the data imports
    (our own export, other apps' CSV), whose file may be up to IMPORT_MAX_BYTES.
    """
    try:
        url_name = resolve(path_info).view_name
    except Resolver404:
        url_name = None
    if url_name in ("portability:import_upload", "portability:history_upload"):
        return BodyLimit(IMPORT_MAX_BYTES + MULTIPART_ALLOWANCE, IMPORT_MAX_BYTES / MB, True)
    most = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return BodyLimit(most, most / MB)


class CountedChunkedBodyApp:
    """WSGI wrapper: a chunked body is counted as it is read, one byte past the limit at most.

    Django reads only as many bytes as Content-Length says, and none without it,
    so a chunked body is read here, counting, and stops one byte past the
    address's limit. What was read becomes the body and its length, so
    RequestBodyLimitMiddleware refuses an oversized one like any other.
    """

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and not environ.get("CONTENT_LENGTH"):
            limit = request_body_limit(get_path_info(environ) or "/").most_bytes
            body = bytearray()
            while len(body) <= limit:
                piece = environ["wsgi.input"].read(min(64 * 1024, limit + 1 - len(body)))
                if not piece:
                    break
                body += piece
            environ["wsgi.input"] = io.BytesIO(bytes(body))
            environ["CONTENT_LENGTH"] = str(len(body))
        return self.application(environ, start_response)


class RequestBodyLimitMiddleware:
    """Refuse a body over its address's limit by its Content-Length, before anything reads it.

    Django's own DATA_UPLOAD_MAX_MEMORY_SIZE counts form fields only after
    reading them, and files not at all: a huge upload would be spooled to disk
    first. This answers with the 413 page without reading a byte.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length:
            limit = request_body_limit(request.path_info)
            if length > limit.most_bytes:
                return too_much_to_send(limit_mb=limit.said_mb, is_file=limit.is_file)
        return self.get_response(request)


# Private pages --------------------------------------------------------------


class PrivatePagesNotStoredMiddleware:
    """Every answer to a logged-in request, or one that carries or sets a session, is `no-store`.

    Such pages show a person's own data (their dashboard, reminders, journal),
    and a browser may otherwise keep them on disk and show them again from the
    back button after log-out. A view that sets Cache-Control itself keeps its
    own choice. base.html opts these pages out of htmx's history cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        personal = (
            (user is not None and user.is_authenticated)
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or request.session.modified
        )
        if personal and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
