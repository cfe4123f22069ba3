"""Compressed pages, except the few whose compressed size could give a secret away.

BREACH: over HTTPS an onlooker sees only sizes, but if a page carries both
text an attacker chose (a search query in a link they make someone open) and
a secret, compression makes the size shrink when the two match, and the
secret can be guessed a few characters at a time. Here:

- Views whose page echoes what the request's query string says, next to a
  person's private text, are marked `@reflects_input` and never compressed:
  the journal search (its words, tag, feeling and dates come back in the form,
  and unknown choices in its error messages, beside matching journal text)
  and the printable report (its dates, beside journal text).
- No other page echoes attacker-chosen text next to a secret. Every other
  query parameter is a number or is looked up in a short list (a chart
  range, a quadrant, a prompt, a practice), and only a known value comes
  back; the login page's `next` address comes back on a page that holds no
  private text. POSTed text comes back only to the person who sent it: CSRF
  protection refuses a forged POST before the view runs (and the session
  cookie is SameSite=Lax).
- The CSRF token is masked afresh in every response (Django's own BREACH
  defence), and Django's GZipMiddleware adds 0 to 99 random bytes to each
  compressed response ("Heal the BREACH"), so sizes are noisy anyway.

Static files are compressed ahead of time by WhiteNoise, which sits before
this middleware and answers them itself.
"""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.middleware.gzip import GZipMiddleware

# Text compresses well; images, zips and fonts are compressed already.
COMPRESSIBLE_TYPES = ("text/", "application/json", "image/svg+xml")


def reflects_input(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Mark a view whose page echoes the query string next to private text: never compressed."""

    @wraps(view)
    def marked(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        response.reflects_input = True  # type: ignore[attr-defined]  # read by CompressionMiddleware
        return response

    return marked


class CompressionMiddleware(GZipMiddleware):
    """Django's gzip (with its random padding) for text answers not marked `@reflects_input`."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase):
        if getattr(response, "reflects_input", False):
            return response
        if not response.get("Content-Type", "").startswith(COMPRESSIBLE_TYPES):
            return response
        return super().process_response(request, response)
