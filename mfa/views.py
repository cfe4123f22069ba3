"""Two-step sign-in: the settings page, the second step, passkeys and "Confirm it's you"."""

from uuid import UUID

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.forms import LoginForm
from ipnb_site.http import SignedInRequest
from mfa import passkeys, signals
from mfa.forms import (
    AuthenticatorSetupForm,
    ConfirmForm,
    PasskeyAddForm,
    PasskeyAnswerForm,
    SecondStepForm,
)
from mfa.models import Passkey, TwoStep
from mfa.reauth import (
    confirm_url,
    confirmation_required,
    mark_confirmed,
    recently_confirmed,
    safe_next,
)
from mfa.signin import finish_sign_in, mark_second_step_passed, pending_sign_in, pending_user
from mfa.throttle import count_failure, is_paused, paused_response

PASSKEY_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _codes_page(request: HttpRequest, codes: list[str]) -> HttpResponse:
    """Recovery codes are shown once, in the answer to the POST that made them."""
    return render(request, "mfa/recovery_codes.html", {"codes": codes})


def _turned_on(request: SignedInRequest, two_step: TwoStep) -> HttpResponse | None:
    """The first factor brings the recovery codes with it."""
    if two_step.recovery_device is not None:
        return None
    # The person's first factor, just shown by this session: it has passed every one they have.
    mark_second_step_passed(request)
    codes = two_step.issue_recovery_codes()
    signals.factor_added.send(__name__, request=request, user=request.user, factor="recovery codes")
    return _codes_page(request, codes)


# Settings -------------------------------------------------------------------


@login_required
@require_safe
def overview(request: SignedInRequest) -> HttpResponse:
    return render(request, "mfa/overview.html", _overview_context(request, PasskeyAddForm()))


def _overview_context(request: SignedInRequest, add_form: PasskeyAddForm) -> dict:
    two_step = TwoStep(request.user)
    return {
        "two_step": two_step,
        "authenticator": two_step.authenticator,
        "passkeys": list(two_step.passkeys),
        "codes_left": two_step.recovery_codes_left(),
        "add_form": add_form,
        "confirmed": recently_confirmed(request),
    }


@sensitive_post_parameters("code")
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@confirmation_required()
def authenticator_setup(request: SignedInRequest) -> HttpResponse:
    form = AuthenticatorSetupForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        two_step = TwoStep(request.user)
        two_step.add_authenticator(form.key, form.cleaned_data["last_t"])
        signals.factor_added.send(
            __name__, request=request, user=request.user, factor="authenticator app"
        )
        if codes_page := _turned_on(request, two_step):
            return codes_page
        messages.success(request, "Your authenticator app is set up.")
        return redirect("mfa:overview")
    status = 400 if form.is_bound else 200
    try:
        device = form.device()
    except ValidationError:
        # A key from an earlier page, someone else's, or none: start afresh.
        form = AuthenticatorSetupForm(request.user)
        device = form.device()
        messages.info(request, "Please scan this code: the earlier one has expired.")
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "qr_svg": qr.svg_inline(
            border=2, dark="#000", light="#fff", omitsize=True, title="QR code"
        ),
        "secret": _spaced(device.config_url.split("secret=")[1].split("&")[0]),
    }
    return render(request, "mfa/authenticator_setup.html", context, status=status)


def _spaced(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
@require_POST
@confirmation_required(return_to="mfa:overview")
def authenticator_remove(request: SignedInRequest) -> HttpResponse:
    two_step = TwoStep(request.user)
    had_codes = two_step.recovery_device is not None
    two_step.remove_authenticator()
    signals.factor_removed.send(
        __name__, request=request, user=request.user, factor="authenticator app"
    )
    _codes_gone(request, two_step, had_codes)
    messages.success(request, "Your authenticator app is removed.")
    return redirect("mfa:overview")


def _codes_gone(request: SignedInRequest, two_step: TwoStep, had_codes: bool) -> None:
    if had_codes and two_step.recovery_device is None:
        signals.factor_removed.send(
            __name__, request=request, user=request.user, factor="recovery codes"
        )


@login_required
@require_POST
@confirmation_required(return_to="mfa:overview")
def recovery_codes_regenerate(request: SignedInRequest) -> HttpResponse:
    two_step = TwoStep(request.user)
    if not two_step.is_on:
        return redirect("mfa:overview")
    codes = two_step.issue_recovery_codes()
    signals.recovery_codes_regenerated.send(__name__, request=request, user=request.user)
    return _codes_page(request, codes)


@login_required
@require_POST
@confirmation_required(return_to="mfa:overview")
def turn_off(request: SignedInRequest) -> HttpResponse:
    two_step = TwoStep(request.user)
    factors = []
    if two_step.authenticator is not None:
        factors.append("authenticator app")
    factors += ["passkey"] * two_step.passkeys.count()
    if two_step.recovery_device is not None:
        factors.append("recovery codes")
    two_step.turn_off()
    for factor in factors:
        signals.factor_removed.send(__name__, request=request, user=request.user, factor=factor)
    messages.success(request, "Two-step sign-in is off. Your password alone signs you in now.")
    return redirect("mfa:overview")


@login_required
@require_POST
@confirmation_required(return_to="mfa:overview")
def passkey_add(request: SignedInRequest) -> HttpResponse:
    form = PasskeyAddForm(request.POST, instance=Passkey(user=request.user))
    if form.is_valid():
        try:
            credential = passkeys.parse_json(form.cleaned_data["credential"])
            passkeys.register(request, request.user, form.cleaned_data["name"], credential)
        except passkeys.PasskeyRefused as refusal:
            form.add_error(None, str(refusal))
    if form.errors:
        context = _overview_context(request, form)
        return render(request, "mfa/overview.html", context, status=400)
    signals.factor_added.send(__name__, request=request, user=request.user, factor="passkey")
    if codes_page := _turned_on(request, TwoStep(request.user)):
        return codes_page
    messages.success(request, "Your passkey is added.")
    return redirect("mfa:overview")


@login_required
@require_POST
@confirmation_required(return_to="mfa:overview")
def passkey_remove(request: SignedInRequest, public_id: UUID) -> HttpResponse:
    passkey = get_object_or_404(Passkey.objects.for_user(request.user), public_id=public_id)
    two_step = TwoStep(request.user)
    had_codes = two_step.recovery_device is not None
    two_step.remove_passkey(passkey)
    signals.factor_removed.send(__name__, request=request, user=request.user, factor="passkey")
    _codes_gone(request, two_step, had_codes)
    messages.success(request, f"The passkey “{passkey.name}” is removed.")
    return redirect("mfa:overview")


# Passkey options, for static/js/passkeys.js ----------------------------------


@require_POST
@never_cache
def passkey_options(request: HttpRequest, purpose: str) -> HttpResponse:
    """The options the browser needs to make or use a passkey, as JSON."""
    user = request.user
    if purpose == "sign-in":
        options = passkeys.authentication_options(request, purpose)
    elif purpose == "second-step":
        pending = pending_user(request)
        if pending is None:
            return JsonResponse({"redirect": reverse("accounts:login")}, status=403)
        options = passkeys.authentication_options(request, purpose, TwoStep(pending).passkeys)
    elif purpose in ("add", "confirm"):
        if not user.is_authenticated:
            return JsonResponse({"redirect": reverse("accounts:login")}, status=403)
        if purpose == "add":
            if not recently_confirmed(request):
                return JsonResponse({"redirect": confirm_url(reverse("mfa:overview"))}, status=403)
            options = passkeys.registration_options(request, user)
        else:
            options = passkeys.authentication_options(request, purpose, TwoStep(user).passkeys)
    else:
        raise Http404
    return HttpResponse(options, content_type="application/json")


# Signing in -----------------------------------------------------------------


@sensitive_post_parameters("code")
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def second_step(request: HttpRequest) -> HttpResponse:
    user = pending_user(request)
    pending = pending_sign_in(request)
    if user is None or pending is None:
        messages.info(request, "Please log in again: the second step waits five minutes.")
        return redirect("accounts:login")
    two_step = TwoStep(user)
    posted = request.POST if request.method == "POST" else None
    if posted is not None and is_paused(request, user):
        return paused_response(request, user)
    form, method, passkey_problem = _factor_answered(
        request, two_step, SecondStepForm, "second-step"
    )
    if method is not None:
        if method == "recovery code":
            _recovery_code_used(request, user, two_step)
        return finish_sign_in(request, user, pending["backend"], pending.get("next"))
    if posted is not None:
        count_failure(request, user)
    context = {
        "form": form,
        "two_step": two_step,
        "has_passkeys": two_step.passkeys.exists(),
        "passkey_problem": passkey_problem,
    }
    return render(request, "mfa/second_step.html", context, status=400 if posted else 200)


def _factor_answered(request: HttpRequest, two_step: TwoStep, form_class, purpose: str):
    """(the form, how the person answered or None, what was wrong with a passkey).

    A POST answers with a passkey (its `credential`) or with the form's code;
    anything else (a GET) answers nothing yet.
    """
    posted = request.POST if request.method == "POST" else None
    with_passkey = posted is not None and "credential" in posted
    form = form_class(two_step, None if with_passkey else posted)
    if posted is None:
        return form, None, ""
    if with_passkey:
        problem = _passkey_answer(request, purpose, two_step.passkeys)
        return form, (None if problem else "passkey"), problem
    return form, (form.method if form.is_valid() else None), ""


def _passkey_answer(request: HttpRequest, purpose: str, candidates) -> str:
    """What was wrong with the browser's answer, or "" when it is one of `candidates`,
    signed and verified."""
    answer = PasskeyAnswerForm(request.POST)
    try:
        if not answer.is_valid():
            raise passkeys.PasskeyRefused("Your browser's answer didn't arrive. Please try again.")
        credential = passkeys.parse_json(answer.cleaned_data["credential"])
        passkey = passkeys.find_passkey(credential, candidates)
        if passkey is None:
            raise passkeys.PasskeyRefused("That passkey isn't one of yours here.")
        passkeys.authenticate(request, purpose, credential, passkey)
    except passkeys.PasskeyRefused as refusal:
        return str(refusal)
    return ""


def _recovery_code_used(request: HttpRequest, user, two_step: TwoStep) -> None:
    signals.recovery_code_used.send(__name__, request=request, user=user)
    left = two_step.recovery_codes_left()
    messages.warning(
        request,
        f"You used a recovery code. {left} left; you can make new ones in Two-step sign-in.",
    )


@require_POST
@never_cache
def passkey_sign_in(request: HttpRequest) -> HttpResponse:
    """Sign in with a passkey alone: it is both something you have and, unlocked by
    your fingerprint, face or PIN (user verification required), something you are or know."""
    next_url = request.POST.get("next")
    answer = PasskeyAnswerForm(request.POST)
    passkey = None
    if answer.is_valid():
        try:
            credential = passkeys.parse_json(answer.cleaned_data["credential"])
            passkey = passkeys.find_passkey(credential, Passkey.objects.all())
        except passkeys.PasskeyRefused:
            passkey = None
    if passkey is not None and passkey.user.is_active:
        user = passkey.user
        if is_paused(request, user):
            return paused_response(request, user)
        try:
            passkeys.authenticate(request, "sign-in", credential, passkey)
        except passkeys.PasskeyRefused as error:
            problem = str(error)
        else:
            return finish_sign_in(request, user, PASSKEY_BACKEND, next_url)
        count_failure(request, user)
    else:
        problem = "We don't know that passkey here. Log in with your email and password."
        count_failure(request, None)
    context = {
        "form": LoginForm(request),
        "passkey_problem": problem,
        "next": safe_next(request, next_url, ""),
    }
    return render(request, "accounts/login.html", context, status=400)


# Confirm it's you -------------------------------------------------------------


@sensitive_post_parameters("password", "code")
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: SignedInRequest) -> HttpResponse:
    user = request.user
    asked_next = request.POST.get("next") or request.GET.get("next")
    next_url = safe_next(request, asked_next, reverse("mfa:overview"))
    two_step = TwoStep(user)
    posted = request.POST if request.method == "POST" else None
    if posted is not None and is_paused(request, user):
        return paused_response(request, user)
    form, method, passkey_problem = _factor_answered(request, two_step, ConfirmForm, "confirm")
    if method is not None:
        if method == "recovery code":
            _recovery_code_used(request, user, two_step)
        mark_confirmed(request)
        if method != "password":
            mark_second_step_passed(request)
        signals.reauthenticated.send(__name__, request=request, user=user, method=method)
        return redirect(next_url)
    if posted is not None:
        count_failure(request, user)
    context = {
        "form": form,
        "next": next_url,
        "has_passkeys": two_step.passkeys.exists(),
        "passkey_problem": passkey_problem,
        "minutes": settings.REAUTH_SECONDS // 60,
    }
    return render(request, "mfa/confirm.html", context, status=400 if posted else 200)
