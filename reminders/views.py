from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from accounts.models import User
from ipnb_site.http import HtmxRequest, SignedInRequest
from push.models import PushSubscription, push_is_configured
from reminders.emails import ALL_KINDS, UNSUBSCRIBE_TOKEN_LIFETIME, read_unsubscribe_token
from reminders.forms import PreferencesForm, ReminderForm
from reminders.models import Delivery, Reminder, ReminderPreferences

PAGE = "reminders/index.html"
RECENT_DELIVERIES = 20


def _get_reminder_for_user(request: HtmxRequest, public_id) -> Reminder:
    return get_object_or_404(Reminder.objects.for_user(request.user), public_id=public_id)


def _panel(request: HtmxRequest, **context) -> dict:
    """What the reminders panel (list and add form) needs."""
    context.setdefault("reminders", Reminder.objects.for_user(request.user))
    context.setdefault("add_form", ReminderForm(user=request.user))
    return context


def _page(request: SignedInRequest, status: int = 200, **context) -> HttpResponse:
    user = request.user
    context = _panel(request, **context)
    context.setdefault(
        "preferences_form",
        PreferencesForm(
            instance=ReminderPreferences.objects.get_or_default(user), today=user.local_today()
        ),
    )
    context["deliveries"] = Delivery.objects.for_user(user).select_related("reminder")[
        :RECENT_DELIVERIES
    ]
    context["push_enabled"] = push_is_configured()
    if context["push_enabled"]:
        context["devices"] = PushSubscription.objects.for_user(user)
        context["vapid_public_key"] = settings.VAPID_PUBLIC_KEY
    return render(request, PAGE, context, status=status)


@login_required
@require_safe
def index(request: SignedInRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_POST
@vary_on_headers("HX-Request")
def create(request: SignedInRequest) -> HttpResponse:
    form = ReminderForm(request.POST, user=request.user)
    if form.is_valid():
        reminder = form.save()
        if request.htmx:
            return render(
                request, f"{PAGE}#reminders-panel", _panel(request, added=reminder.public_id)
            )
        return redirect("reminders:index")
    if request.htmx:
        return render(
            request, f"{PAGE}#reminders-panel", _panel(request, add_form=form), status=400
        )
    return _page(request, status=400, add_form=form)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@vary_on_headers("HX-Request")
def edit(request: SignedInRequest, public_id) -> HttpResponse:
    reminder = _get_reminder_for_user(request, public_id)
    form = ReminderForm(
        request.POST if request.method == "POST" else None, instance=reminder, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        reminder = form.save()
        if request.htmx:
            return render(request, f"{PAGE}#reminder-row", {"reminder": reminder, "saved": True})
        return redirect("reminders:index")
    status = 400 if form.is_bound else 200
    template = f"{PAGE}#edit-row" if request.htmx else "reminders/edit.html"
    return render(request, template, {"reminder": reminder, "form": form}, status=status)


@login_required
@require_safe
@vary_on_headers("HX-Request")
def row(request: SignedInRequest, public_id) -> HttpResponse:
    """The read-only row, for cancelling an in-place edit; a visit by its address
    (a bookmark, a link opened in a new tab) gets the whole page, not a fragment."""
    reminder = _get_reminder_for_user(request, public_id)
    if not request.htmx:
        return redirect("reminders:index")
    return render(request, f"{PAGE}#reminder-row", {"reminder": reminder})


@login_required
@require_POST
@vary_on_headers("HX-Request")
def delete(request: SignedInRequest, public_id) -> HttpResponse:
    reminder = _get_reminder_for_user(request, public_id)
    reminder.delete()
    if request.htmx:
        return render(request, f"{PAGE}#reminders-panel", _panel(request))
    return redirect("reminders:index")


@login_required
@require_POST
@vary_on_headers("HX-Request")
def preferences(request: SignedInRequest) -> HttpResponse:
    user = request.user
    form = PreferencesForm(
        request.POST,
        instance=ReminderPreferences.objects.get_or_default(user),
        today=user.local_today(),
    )
    saved = form.is_valid()
    if saved:
        form.save()
        if not request.htmx:
            return redirect("reminders:index")
    status = 200 if saved else 400
    if request.htmx:
        context = {"preferences_form": form, "preferences_saved": saved}
        return render(request, f"{PAGE}#preferences", context, status=status)
    return _page(request, status=status, preferences_form=form)


@csrf_exempt  # mail clients POST here with no session or token (RFC 8058)
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HtmxRequest, token: str) -> HttpResponse:
    # The pages never show whose link it is: a forwarded email must not tell.
    try:
        data = read_unsubscribe_token(token)
    except signing.SignatureExpired:
        expired = {"lifetime_days": UNSUBSCRIBE_TOKEN_LIFETIME.days}
        return render(request, "reminders/unsubscribe_expired.html", expired, status=400)
    except signing.BadSignature:
        return render(request, "reminders/unsubscribe_invalid.html", status=400)
    user = User.objects.filter(public_id=data["u"]).first()
    if user is None:
        raise Http404("No such person")
    kind = data["k"]
    if kind != ALL_KINDS and kind not in Reminder.Kind.values:
        return render(request, "reminders/unsubscribe_invalid.html", status=400)
    stop_all = kind == ALL_KINDS
    kind_label = None if stop_all else Reminder.Kind(kind).label
    context: dict[str, object] = {"token": token, "kind_label": kind_label, "stopped_all": stop_all}
    if request.method != "POST":
        # A link scanner following the link (GET or HEAD) must not unsubscribe anyone.
        return render(request, "reminders/unsubscribe.html", context)
    # The token alone says what stops: only the email's "all" link stops every kind.
    reminders = Reminder.objects.for_user(user)
    if not stop_all:
        reminders = reminders.filter(kind=kind)
    reminders.update(enabled=False, next_fire_at=None)
    return render(request, "reminders/unsubscribed.html", context)
