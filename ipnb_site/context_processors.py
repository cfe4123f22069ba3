from django.conf import settings


def site(request):
    match = getattr(request, "resolver_match", None)
    return {
        "site_name": settings.SITE_NAME,
        # The navigation marks the link of the section a page belongs to.
        "nav_section": (match.namespace or match.url_name) if match else "",
        "url_name": match.url_name if match else "",
        # django-htmx's {% htmx_script %} reads the nonce under this name.
        "csp_nonce": getattr(request, "csp_nonce", None),
    }
