"""Django's admin, behind the site's own sign-in.

Staff sign in on the site's login page (the password, then the second step, each
counted by the login throttle), never on a password-only admin form. The admin
opens for active staff who have two-step sign-in on and whose session passed it
(mfa/signin.py marks it); a staff member without a second factor is sent to set
one up first.
"""

from django.contrib import admin, messages
from django.contrib.auth import BACKEND_SESSION_KEY, REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from mfa.models import TwoStep
from mfa.reauth import safe_next
from mfa.signin import begin_second_step, second_step_passed

NEEDS_TWO_STEP = (
    "The admin needs two-step sign-in. Please turn it on here first, then open the admin again."
)


class TwoStepAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        # Asked again by each_context on every page; the answer can't change mid-request.
        allowed = getattr(request, "_admin_two_step_allowed", None)
        if allowed is None:
            allowed = (
                super().has_permission(request)
                and second_step_passed(request)
                and TwoStep(request.user).is_on
            )
            request._admin_two_step_allowed = allowed  # type: ignore[attr-defined]
        return allowed

    @method_decorator(never_cache)
    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        """No form here: a POSTed password is ignored, and the person goes to the site's
        own sign-in, or to the step their session is missing."""
        asked = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
        next_url = safe_next(request, asked, reverse("admin:index", current_app=self.name))
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(next_url)
        if not user.is_staff:
            raise Http404
        if self.has_permission(request):
            return redirect(next_url)
        if not TwoStep(user).is_on:
            messages.info(request, NEEDS_TWO_STEP)
            return redirect("mfa:overview")
        # Signed in with a password only (before the admin asked for more): the
        # second step now, exactly as at sign-in.
        return begin_second_step(request, user, next_url, request.session[BACKEND_SESSION_KEY])

    # The admin's own return a TemplateResponse; these answer with the site's pages.
    def logout(  # type: ignore[override]
        self, request: HttpRequest, extra_context=None
    ) -> HttpResponseBase:
        # The site's own sign-out: leaving the admin is leaving the site.
        return auth_views.LogoutView.as_view()(request)

    def password_change(  # type: ignore[override]
        self, request: HttpRequest, extra_context=None
    ) -> HttpResponse:
        # One door for changing a password: the site's, which records it in the activity log.
        return redirect("accounts:password_change")

    def password_change_done(  # type: ignore[override]
        self, request: HttpRequest, extra_context=None
    ) -> HttpResponse:
        return redirect("accounts:password_change_done")
