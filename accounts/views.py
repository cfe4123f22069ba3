import math
import smtplib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe
from django.views.decorators.vary import vary_on_headers

import activity
from accounts.emails import send_signup_email
from accounts.forms import ChoosePasswordForm, ConfirmPasswordForm, SettingsForm, SignUpForm
from accounts.models import User
from accounts.throttle import forget_login_records, signup_wait
from accounts.timezones import selectable_timezones
from activity.models import ActivityKind
from ipnb_site.http import HtmxRequest, SignedInRequest
from mfa.models import TwoStep
from mfa.reauth import confirmation_required
from mfa.signin import begin_second_step

# Said the same way whether or not the address has an account.
MAIL_DOWN = "We couldn't send the email just now. Please try again in a few minutes."


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache  # the answer names the email typed
def signup(request: HtmxRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    if request.method == "POST" and (wait := signup_wait(request, count=False)):
        return signup_paced(request, wait)
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if wait := signup_wait(request, count=True):
            return signup_paced(request, wait)
        try:
            send_signup_email(form.instance)
        except (smtplib.SMTPException, OSError):
            form.add_error(None, MAIL_DOWN)
            return render(request, "accounts/signup.html", {"form": form}, status=503)
        # The same page whether or not the address has an account.
        return render(request, "accounts/signup_sent.html", {"email": form.instance.email})
    status = 400 if form.is_bound else 200
    return render(request, "accounts/signup.html", {"form": form}, status=status)


def signup_paced(request: HtmxRequest, wait: int) -> HttpResponse:
    minutes = math.ceil(wait / 60)
    response = render(request, "accounts/signup_paced.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(wait)
    return response


def signup_used(request: HtmxRequest) -> HttpResponse:
    """The link's account exists now: say so, and point to logging in."""
    status = 409 if request.method == "POST" else 200
    return render(request, "accounts/signup_used.html", status=status)


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def signup_finish(request: HtmxRequest, token: str) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    try:
        details = User.objects.signup_details(token)
    except signing.BadSignature as error:
        expired = isinstance(error, signing.SignatureExpired)
        return render(request, "accounts/signup_link_bad.html", {"expired": expired}, status=400)
    if User.objects.filter(email=details["email"]).exists():
        return signup_used(request)
    form = ChoosePasswordForm(User(**details), request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = User.objects.create_user(password=form.cleaned_data["password1"], **details)
        except (IntegrityError, ValidationError):
            # Finished a moment ago in another tab, or the link's details no longer pass.
            if User.objects.filter(email=details["email"]).exists():
                return signup_used(request)
            return render(request, "accounts/signup_link_bad.html", {}, status=400)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        # Their chosen name only; someone who skipped it isn't greeted by their address.
        welcome = f"Welcome, {user.display_name}." if user.display_name else "Welcome."
        messages.success(request, f"{welcome} We're glad you're here.")
        return redirect("home")
    context = {"form": form, "email": details["email"]}
    return render(
        request, "accounts/signup_finish.html", context, status=400 if form.is_bound else 200
    )


@login_required
@require_safe
def me(request: SignedInRequest) -> HttpResponse:
    """The "Me" tab: everything about a person's account, one tap from any page."""
    return render(request, "accounts/me.html")


@require_safe
def timezones(request: HtmxRequest) -> JsonResponse:
    """Every zone the picker accepts, fetched once by the picker's script.

    Sign-up and settings no longer carry ~600 options in each page."""
    return JsonResponse({"timezones": sorted(selectable_timezones())})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@vary_on_headers("HX-Request")
def account_settings(request: SignedInRequest) -> HttpResponse:
    form = SettingsForm(request.POST if request.method == "POST" else None, instance=request.user)
    saved = False
    if request.method == "POST" and form.is_valid():
        form.save()
        if not request.htmx:
            messages.success(request, "Your settings are saved.")
            return redirect("accounts:settings")
        saved = True
    template = "accounts/settings.html#profile-form" if request.htmx else "accounts/settings.html"
    status = 400 if form.is_bound and not saved else 200
    return render(request, template, {"form": form, "saved": saved}, status=status)


@sensitive_post_parameters("password")
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@confirmation_required(return_to="accounts:delete")
def delete_account(request: SignedInRequest) -> HttpResponse:
    form = ConfirmPasswordForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        with transaction.atomic():
            forget_login_records(user)
            user.delete()
        messages.success(request, "Your account and everything in it are deleted. Take care.")
        return redirect("home")
    status = 400 if form.is_bound else 200
    return render(request, "accounts/delete.html", {"form": form}, status=status)


class BadInputIs400:
    """Django's auth views answer an invalid form with 200; we say 400."""

    def form_invalid(self, form):
        response = super().form_invalid(form)  # type: ignore[misc]  # the auth view's
        response.status_code = 400
        return response


class LoginView(BadInputIs400, auth_views.LoginView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Django's own puts the request's host in "site_name" (the header showed
        # "localhost:8000" and overflowed a phone); the page means ours.
        context.pop("site_name", None)
        return context

    def form_valid(self, form):
        # With two-step sign-in on, the password is only the first step (mfa/signin.py).
        user = form.get_user()
        if TwoStep(user).is_on:
            return begin_second_step(self.request, user, self.get_redirect_url())
        return super().form_valid(form)


class PasswordChangeView(BadInputIs400, auth_views.PasswordChangeView):
    def form_valid(self, form):
        # Django keeps this device signed in; every other one is signed out now.
        response = super().form_valid(form)
        activity.password_changed(self.request, self.request.user, ActivityKind.PASSWORD_CHANGED)
        return response


class PasswordResetView(BadInputIs400, auth_views.PasswordResetView):
    def form_valid(self, form):
        # Links in emails come from SITE_URL, never from the request's Host header.
        self.extra_email_context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL}
        return super().form_valid(form)


class PasswordResetConfirmView(BadInputIs400, auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        # An emailed link proves the mailbox, not the second step: with two-step
        # sign-in on, the new password saves and the person logs in with both.
        if TwoStep(form.user).is_on:
            self.post_reset_login = False
        response = super().form_valid(form)
        # Every other device is signed out (all of them when the reset signed nobody in).
        activity.password_changed(self.request, form.user, ActivityKind.PASSWORD_RESET)
        return response
