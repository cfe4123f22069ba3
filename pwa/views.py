"""The installable app: its manifest, its service worker, the offline page and
the help page on adding it to a home screen.

None of these shows a person's data, so they are the same for everyone.
"""

import json

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from practices.models import Practice
from pwa.offline import offline_version, precached_static_urls

# The header's colours in light and dark (static/css/site.css), for the phone's status bar.
THEME_COLOURS = {"light": "#fbfaf7", "dark": "#121819"}


@require_safe
def manifest(request) -> JsonResponse:
    today = reverse("home")
    data = {
        "id": today,
        "name": settings.SITE_NAME,
        "short_name": settings.SITE_NAME,
        "description": "A small daily practice: guided breathing and awareness, "
        "a private journal, and a gentle view of how your days are flowing.",
        # The marker tells our logs (and nothing else) that the app was opened installed.
        "start_url": f"{today}?source=installed",
        "scope": "/",
        "display": "standalone",
        "background_color": THEME_COLOURS["light"],
        "theme_color": THEME_COLOURS["light"],
        "icons": [
            {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("img/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    patch_cache_control(response, public=True, max_age=60 * 60)
    return response


@require_safe
def service_worker(request) -> HttpResponse:
    """The service worker, at the root so its scope is the whole site.

    no-cache: the browser checks for a new one on each visit (it does at least
    daily anyway), so a deploy reaches people at their next page load.
    """
    practices = list(Practice.objects.values_list("slug", flat=True))
    context = {
        "version": offline_version(),
        "static_urls": json.dumps(precached_static_urls()),
        "shared_pages": json.dumps([reverse("pwa:offline"), reverse("crisis")]),
        "practices_page": json.dumps(reverse("practices:index")),
        "practice_pages": json.dumps(
            {
                reverse("practices:detail", kwargs={"slug": slug}): reverse(
                    "practices:on_this_device", kwargs={"slug": slug}
                )
                for slug in practices
            }
        ),
        "offline_page": json.dumps(reverse("pwa:offline")),
        "queue_script": json.dumps(static("js/offline-queue.js")),
        "static_prefix": static(""),
    }
    response = render(request, "pwa/sw.js", context, content_type="text/javascript; charset=utf-8")
    patch_cache_control(response, no_cache=True)
    return response


@require_safe
def offline(request) -> HttpResponse:
    """Shown by the service worker for a page it has no copy of. It is fetched
    without cookies, so the stored copy holds nobody's data."""
    response = render(request, "pwa/offline.html", {"offline_page": True})
    if not request.user.is_authenticated:  # otherwise no-store, like every signed-in page
        patch_cache_control(response, no_cache=True)
    return response


@require_safe
def install_help(request) -> HttpResponse:
    return render(request, "pwa/install.html")
