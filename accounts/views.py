from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from accounts.forms import ConfirmPasswordForm, SettingsForm, SignUpForm


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.name}. We're glad you're here.")
        return redirect("home")
    status = 400 if form.is_bound else 200
    return render(request, "accounts/signup.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@vary_on_headers("HX-Request")
def account_settings(request: HttpRequest) -> HttpResponse:
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
def delete_account(request: HttpRequest) -> HttpResponse:
    form = ConfirmPasswordForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        with transaction.atomic():
            user.delete()
        messages.success(request, "Your account and everything in it are deleted. Take care.")
        return redirect("home")
    status = 400 if form.is_bound else 200
    return render(request, "accounts/delete.html", {"form": form}, status=status)


class BadInputIs400:
    """Django's auth views answer an invalid form with 200; we say 400."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class LoginView(BadInputIs400, auth_views.LoginView):
    pass


class PasswordChangeView(BadInputIs400, auth_views.PasswordChangeView):
    pass


class PasswordResetView(BadInputIs400, auth_views.PasswordResetView):
    pass


class PasswordResetConfirmView(BadInputIs400, auth_views.PasswordResetConfirmView):
    pass
