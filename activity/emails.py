"""The new-device email, built from three templates like the account emails."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone

from activity.models import DeviceSession
from ipnb_site.mail import absolute_url, render_email


def send_new_device_email_now(session: DeviceSession) -> None:
    user = session.user
    context = {
        "site_name": settings.SITE_NAME,
        "name": user.name,
        "device": session.device.label,
        "when": session.signed_in_at,
        "zone": user.timezone,
        "sessions_url": absolute_url(reverse("activity:sessions")),
        "reset_url": absolute_url(reverse("accounts:password_reset")),
    }
    # Times in the email are the person's own, as on their pages.
    with timezone.override(user.zone):
        subject, text, html = render_email("activity/emails/new-device", context)
    message = EmailMultiAlternatives(subject, text, to=[user.email])
    message.attach_alternative(html, "text/html")
    message.send()
