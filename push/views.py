import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from ipnb_site.http import SignedInRequest
from push.models import PushSubscription, push_is_configured

# A subscription is a few hundred bytes; anything much larger isn't one.
MAX_BODY_BYTES = 4096


def _get_subscription_for_user(request: SignedInRequest, public_id) -> PushSubscription:
    return get_object_or_404(PushSubscription.objects.for_user(request.user), public_id=public_id)


@login_required
@require_POST
def subscribe(request: SignedInRequest) -> HttpResponse:
    """Keep this device's subscription, posted as JSON by static/js/push-subscribe.js."""
    if not push_is_configured():
        raise Http404("Push isn't set up on this site.")
    if len(request.body) > MAX_BODY_BYTES:
        return JsonResponse({"error": "That's too large to be a subscription."}, status=400)
    try:
        data = json.loads(request.body)
        endpoint, keys = data["endpoint"], data["keys"]
        p256dh, auth = keys["p256dh"], keys["auth"]
        if not all(isinstance(value, str) for value in (endpoint, p256dh, auth)):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "That isn't a push subscription."}, status=400)
    try:
        subscription = PushSubscription.objects.save_for(
            request.user, endpoint, p256dh, auth, request.headers.get("User-Agent", "")
        )
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse({"device": subscription.device}, status=201)


@login_required
@require_POST
def remove(request: SignedInRequest, public_id) -> HttpResponse:
    _get_subscription_for_user(request, public_id).delete()
    return redirect("reminders:index")
