from collections.abc import Callable
from functools import wraps
from uuid import UUID

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.core import get_usage

from accounts.throttle import client_address
from ipnb_site.http import HtmxRequest, SignedInRequest
from portability.pdf import pdf_response, pdf_wait
from sharing.forms import ShareLinkForm
from sharing.models import ShareLink

# A token is 43 characters; anything much longer is not one of ours.
LONGEST_TOKEN = 64


def _get_share_link_for_user(request: SignedInRequest, public_id: UUID) -> ShareLink:
    """The signed-in person's own link, or 404."""
    return get_object_or_404(ShareLink.objects.for_user(request.user), public_id=public_id)


def _links_page(
    request: SignedInRequest, form: ShareLinkForm, *, status: int = 200, **context
) -> HttpResponse:
    links = ShareLink.objects.for_user(request.user).prefetch_related("openings")
    context = {"form": form, "links": links, **context}
    return render(request, "sharing/links.html", context, status=status)


# The person's own page: make, see and stop links -----------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def links(request: SignedInRequest) -> HttpResponse:
    if request.method != "POST":
        return _links_page(request, ShareLinkForm.for_today(request.user.local_today()))
    form = ShareLinkForm(request.POST)
    if form.is_valid():
        form.instance.user = request.user
        try:
            link, token = ShareLink.objects.create_with_token(form.instance)
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            # Shown this once: only the token's hash is kept. Not a redirect, so
            # the token never sits in a session or a message.
            address = settings.SITE_URL + reverse("sharing:shared_report", args=[token])
            fresh_form = ShareLinkForm.for_today(request.user.local_today())
            return _links_page(request, fresh_form, new_link=link, new_address=address)
    return _links_page(request, form, status=400)


@login_required
@require_POST
def revoke(request: SignedInRequest, public_id: UUID) -> HttpResponse:
    link = _get_share_link_for_user(request, public_id)
    link.revoke()
    if request.htmx:
        return render(request, "sharing/links.html#link-row", {"link": link})
    return redirect("sharing:links")


# The shared page: no session, not indexed, not cached, not passed on --------------


def shared_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Headers for every answer under /shared/, the kind 404 and the 429 included."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)  # no-store: it is someone's inner life
        response["X-Robots-Tag"] = "noindex, nofollow, noarchive"
        response["Referrer-Policy"] = "no-referrer"  # the address is the key
        return response

    return wrapped


def _opened_link(request: HttpRequest, token: str) -> ShareLink | HttpResponse:
    """The live link for this token, or the answer to give instead (429 or the kind 404).

    Every opening from an address counts against its pace, found or not, so
    nobody can try tokens quickly (256 random bits are out of reach anyway).
    """
    usage = get_usage(
        request,
        group="sharing.shared_report",
        key=lambda group, request: client_address(request) or "",
        rate=settings.SHARED_REPORT_RATE,
        increment=True,
    )
    if usage is not None and usage["should_limit"]:
        wait = max(usage["time_left"], 60)
        response = render(
            request, "sharing/shared_paced.html", {"minutes": -(-wait // 60)}, status=429
        )
        response["Retry-After"] = str(wait)
        return response
    link = ShareLink.objects.by_token(token) if len(token) <= LONGEST_TOKEN else None
    if link is None:
        return render(request, "sharing/link_gone.html", status=404)
    return link


@shared_page
@require_safe
def shared_report(request: HtmxRequest, token: str) -> HttpResponse:
    link = _opened_link(request, token)
    if isinstance(link, HttpResponse):
        return link
    # Recording the opening is what the person asked for: the one write a GET makes
    # here. A HEAD (link checkers, mail scanners) reads nothing, so it counts for nothing.
    if request.method == "GET":
        link.record_opening(request.headers.get("User-Agent", ""))
    context = {"link": link, "report": link.report(), "token": token}
    return render(request, "sharing/shared_report.html", context)


@shared_page
@require_safe
def shared_report_pdf(request: HtmxRequest, token: str) -> HttpResponse:
    link = _opened_link(request, token)
    if isinstance(link, HttpResponse):
        return link
    wait = pdf_wait(request, f"share:{link.pk}")
    if wait is not None:
        response = render(
            request, "sharing/shared_paced.html", {"minutes": -(-wait // 60)}, status=429
        )
        response["Retry-After"] = str(wait)
        return response
    if request.method == "GET":
        link.record_opening(request.headers.get("User-Agent", ""), as_pdf=True)
    paper = "letter" if request.GET.get("paper") == "letter" else "a4"
    return pdf_response(link.report(), paper=paper)
