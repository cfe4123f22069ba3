"""htmx requests as views see them, with htmx's history restore handled once for every view.

On Back (or Forward) to an address htmx pushed but kept no copy of (our pages
carry hx-history="false"), htmx 2 fetches the address again to swap in as the
whole page. That request carries HX-History-Restore-Request, and with htmx's
default `historyRestoreAsHxRequest` also HX-Request. base.html turns that
option off, but the server doesn't rely on a client's setting: here
`request.htmx` is false for a history restore, so every view's
`if request.htmx:` answers it with the whole page, not a bare fragment.
"""

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import has_vary_header, patch_vary_headers
from django_htmx import middleware as django_htmx


class HtmxDetails(django_htmx.HtmxDetails):
    """django-htmx's `request.htmx`, false for a history-restore request."""

    def __bool__(self) -> bool:
        return super().__bool__() and not self.history_restore_request


class HtmxMiddleware(django_htmx.HtmxMiddleware):
    """django-htmx's middleware, setting our `request.htmx`; used in its place."""

    def __call__(self, request: HttpRequest):
        if self.async_mode:
            return self.__acall__(request)
        request.htmx = HtmxDetails(request)  # type: ignore[attr-defined]
        return self._vary_with_restore(self.get_response(request))  # type: ignore[arg-type]  # sync: a response

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        request.htmx = HtmxDetails(request)  # type: ignore[attr-defined]
        return self._vary_with_restore(await self.get_response(request))  # type: ignore[misc]

    @staticmethod
    def _vary_with_restore(response: HttpResponseBase) -> HttpResponseBase:
        # An answer that depends on HX-Request now depends on the restore header too.
        if has_vary_header(response, "HX-Request"):
            patch_vary_headers(response, ["HX-History-Restore-Request"])
        return response
