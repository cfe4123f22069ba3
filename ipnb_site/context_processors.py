from django.conf import settings


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        # django-htmx's {% htmx_script %} reads the nonce under this name.
        "csp_nonce": getattr(request, "csp_nonce", None),
    }
