import uuid
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from accounts.models import User
from ipnb_site.http import HtmxRequest, SignedInRequest
from practices.breathing import DEFAULT_PATTERN
from practices.models import REST_DAYS_PER_WEEK, RestDay
from progress.dashboard import FIRST_PRACTICE_MINUTES, Dashboard
from progress.forms import REST_DAYS_SHOWN, FirstNameForm, RestDayForm


def today_context(user: User, name_form: FirstNameForm | None = None) -> dict:
    """What Today shows: the dashboard, or for a newcomer where to start."""
    dashboard = Dashboard(user)
    context: dict = {"dashboard": dashboard, "first_run": dashboard.is_first_run}
    if dashboard.is_first_run:
        if name_form is None and not user.display_name:
            name_form = FirstNameForm(instance=user)
        context |= {
            "name_form": name_form,
            "first_practice": dashboard.first_practice,
            "first_practice_minutes": FIRST_PRACTICE_MINUTES,
            "first_practice_pattern": DEFAULT_PATTERN,
            # The start view's guard against a double tap starting two sessions.
            "first_practice_request_id": uuid.uuid4(),
        }
    return context


@require_safe
@vary_on_headers("HX-Request")
def patterns(request: HtmxRequest) -> HttpResponse:
    """FACES, feelings, the river and the insights, for a chosen range."""
    if not request.user.is_authenticated:
        # A range swap after the session ended: log in again, as a whole page.
        return redirect_to_login(request.get_full_path())
    dashboard = Dashboard(request.user, request.GET.get("range"))
    template = "progress/patterns.html#progress-panel" if request.htmx else "progress/patterns.html"
    return render(request, template, {"dashboard": dashboard, "nav_section": "home"})


@login_required
@require_POST
def set_name(request: SignedInRequest) -> HttpResponse:
    """Today's first-run question: the name to greet the person by (their own account only)."""
    form = FirstNameForm(request.POST, instance=request.user)
    if not form.is_valid():
        # The form wrote the refused name onto the user; greet with the saved one.
        request.user.refresh_from_db(fields=["display_name"])
        return render(request, "home.html", today_context(request.user, form), status=400)
    form.save(commit=False).save(update_fields=["display_name"])
    messages.success(request, f"Thank you, {request.user.display_name}.")
    return redirect("home")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def rest_days(request: SignedInRequest) -> HttpResponse:
    """Plan rest days: each of the next two weeks' days, one tap to rest or not."""
    user = request.user
    today = user.local_today()
    error, status = "", 200
    if request.method == "POST":
        form = RestDayForm(request.POST, today=today)
        if not form.is_valid():
            error, status = str(next(iter(form.errors.values()))[0]), 400
        elif form.cleaned_data["rest"]:
            try:
                RestDay.objects.plan(user, form.cleaned_data["day"])
            except ValidationError as problem:
                error, status = problem.messages[0], 400
        else:
            RestDay.objects.for_user(user).filter(local_date=form.cleaned_data["day"]).delete()
        if status == 200 and not request.htmx:
            return redirect("progress:rest_days")
    resting = RestDay.objects.days_of(user, first=today)
    days = [today + timedelta(days=n) for n in range(REST_DAYS_SHOWN)]
    context = {
        "days": [(day, day in resting) for day in days],
        "today": today,
        "error": error,
        "per_week": REST_DAYS_PER_WEEK,
        "changed": request.POST.get("day", ""),
        "nav_section": "home",
    }
    template = (
        "progress/rest_days.html#rest-day-list" if request.htmx else "progress/rest_days.html"
    )
    return render(request, template, context, status=status)
