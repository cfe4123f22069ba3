from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from activity.models import DEVICE_SESSION_KEY, ActivityEvent, ActivityKind, DeviceSession
from ipnb_site.http import SignedInRequest

EVENTS_PER_PAGE = 30


def _get_other_device_session_for_user(request: SignedInRequest, public_id: UUID):
    """One of the person's other signed-in devices, or 404 (this one signs out by Log out)."""
    current = request.session.get(DEVICE_SESSION_KEY)
    others = DeviceSession.objects.for_user(request.user).exclude(public_id=current)
    return get_object_or_404(others, public_id=public_id)


def _sessions_page(request: SignedInRequest, said: str = "") -> HttpResponse:
    devices = list(DeviceSession.objects.for_user(request.user))
    current = request.session.get(DEVICE_SESSION_KEY)
    this_device = next((d for d in devices if str(d.public_id) == current), None)
    context = {
        "this_device": this_device,
        "others": [d for d in devices if d is not this_device],
        "said": said,
    }
    template = "activity/sessions.html#devices" if request.htmx else "activity/sessions.html"
    return render(request, template, context)


@login_required
@require_safe
@vary_on_headers("HX-Request")
def sessions(request: SignedInRequest) -> HttpResponse:
    return _sessions_page(request)


@login_required
@require_POST
@vary_on_headers("HX-Request")
def sign_out_device(request: SignedInRequest, public_id: UUID) -> HttpResponse:
    device = _get_other_device_session_for_user(request, public_id)
    label = device.device.label
    device.delete()
    ActivityEvent.objects.record(request, request.user, ActivityKind.DEVICE_SIGNED_OUT, of=label)
    said = f"{label} is signed out."
    if not request.htmx:
        messages.success(request, said)
        return redirect("activity:sessions")
    return _sessions_page(request, said)


@login_required
@require_POST
@vary_on_headers("HX-Request")
def sign_out_others(request: SignedInRequest) -> HttpResponse:
    ended = DeviceSession.objects.end_others(request, request.user)
    if ended:
        ActivityEvent.objects.record(
            request, request.user, ActivityKind.OTHER_DEVICES_SIGNED_OUT, count=ended
        )
    said = "Every other device is signed out." if ended else "No other device was signed in."
    if not request.htmx:
        messages.success(request, said)
        return redirect("activity:sessions")
    return _sessions_page(request, said)


@login_required
@require_safe
def activity_log(request: SignedInRequest) -> HttpResponse:
    events = ActivityEvent.objects.for_user(request.user)
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "activity/activity.html", {"page": page})
