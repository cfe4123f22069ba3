"""Request types for views, so the type checker knows what middleware adds."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from accounts.models import User


class HtmxRequest(HttpRequest):
    """Any request: django-htmx's middleware adds `htmx`."""

    htmx: HtmxDetails


class SignedInRequest(HtmxRequest):
    """A request to a @login_required view: the user is a real account."""

    user: User  # narrower than HttpRequest's User | AnonymousUser
