"""Account emails: one function builds each message from three templates."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from accounts.models import User
from ipnb_site.mail import absolute_url as absolute
from ipnb_site.mail import render_email


def send(name: str, to: str, context: dict) -> None:
    context = {"site_name": settings.SITE_NAME, **context}
    subject, text, html = render_email(f"accounts/emails/{name}", context)
    message = EmailMultiAlternatives(subject, text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()


def send_signup_email(person: User) -> None:
    """Answer a sign-up by email only, so the page looks the same either way.

    A new address gets a link to choose a password; an address that already has
    an account is told so, with ways in, and nothing is created or changed.
    """
    existing = User.objects.filter(email=person.email).first()
    if existing is not None:
        send(
            "account-exists",
            existing.email,
            {
                "name": existing.name,
                "login_url": absolute(reverse("accounts:login")),
                "reset_url": absolute(reverse("accounts:password_reset")),
            },
        )
        return
    token = User.objects.signup_token(
        email=person.email, display_name=person.display_name, timezone=person.timezone
    )
    send(
        "signup-link",
        person.email,
        {
            "name": person.name,
            "finish_url": absolute(reverse("accounts:signup_finish", args=[token])),
            "hours": int(User.objects.SIGNUP_LINK_LIFETIME.total_seconds() // 3600),
        },
    )
