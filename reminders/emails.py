"""Reminder emails: one function builds each message from three templates."""

from datetime import date, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db.models import Avg, Count, Sum
from django.urls import reverse

from ipnb_site.mail import absolute_url as absolute
from ipnb_site.mail import render_email
from progress.scores import current_streak, practice_strength
from reminders.models import Delivery, Reminder

UNSUBSCRIBE_SALT = "reminders.unsubscribe"
ALL_KINDS = "all"
# Mail clients POST the List-Unsubscribe URL (RFC 8058) whenever the person
# presses the button, perhaps weeks after the email came. Every reminder carries
# a fresh token, so the newest email always works; an old, forwarded one stops
# working after this long.
UNSUBSCRIBE_TOKEN_LIFETIME = timedelta(days=90)


def unsubscribe_token(user, kind: str) -> str:
    """A signed, login-free token naming the person and what to stop (it carries its date)."""
    return signing.dumps({"u": str(user.public_id), "k": kind}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> dict:
    """The token's contents.

    Raises signing.SignatureExpired when older than UNSUBSCRIBE_TOKEN_LIFETIME,
    and signing.BadSignature when forged or damaged.
    """
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_TOKEN_LIFETIME)
    if not isinstance(data, dict) or {"u", "k"} - data.keys():
        raise signing.BadSignature("incomplete token")
    return data


def practice_days(user) -> set[date]:
    from practices.models import PracticeSession

    sessions = PracticeSession.objects.for_user(user).filter(completed=True)
    return set(sessions.values_list("local_date", flat=True).distinct())


def suggested_practice(reminder: Reminder, local_date: date):
    """The practice the person chose, or one that changes from day to day."""
    from practices.models import Practice

    practices = list(Practice.objects.order_by("slug"))
    chosen = next((p for p in practices if p.slug == reminder.practice_slug), None)
    if chosen is None and practices:
        chosen = practices[local_date.toordinal() % len(practices)]
    return chosen


def week_summary(user, last_day: date) -> dict:
    from journal.models import FACES_QUALITIES, FacesRating
    from practices.models import PracticeSession

    first_day = last_day - timedelta(days=6)
    sessions = PracticeSession.objects.for_user(user).filter(
        local_date__range=(first_day, last_day)
    )
    totals = sessions.aggregate(seconds=Sum("seconds_practised"), count=Count("id"))
    faces = FacesRating.objects.for_user(user).filter(local_date__range=(first_day, last_day))
    averages = faces.aggregate(
        **{field: Avg(field) for field, *_ in FACES_QUALITIES}, ratings=Count("id")
    )
    return {
        "first_day": first_day,
        "last_day": last_day,
        "minutes": round((totals["seconds"] or 0) / 60),
        "sessions": totals["count"],
        "faces": averages,
        "faces_rows": [(label, averages[field]) for field, label, *_ in FACES_QUALITIES],
    }


def already_done(reminder: Reminder, local_date: date) -> bool:
    """Has the person already done what this nudge is for, that local day?"""
    user = reminder.user
    if reminder.kind == Reminder.Kind.PRACTICE:
        from practices.models import PracticeSession

        return PracticeSession.objects.has_completed_on(user, local_date)
    if reminder.kind == Reminder.Kind.CHECK_IN:
        from journal.models import FacesRating, JournalEntry

        return (
            FacesRating.objects.for_user(user).filter(local_date=local_date).exists()
            or JournalEntry.objects.for_user(user).filter(local_date=local_date).exists()
        )
    return False


def reminder_message(delivery: Delivery, connection=None) -> EmailMultiAlternatives:
    from journal.prompts import prompt_for

    reminder = delivery.reminder
    user = reminder.user
    local_date = delivery.local_date
    days = practice_days(user)
    practice = suggested_practice(reminder, local_date)
    kind_token = unsubscribe_token(user, reminder.kind)
    context = {
        "site_name": settings.SITE_NAME,
        "user": user,
        "name": user.name,
        "reminder": reminder,
        "local_date": local_date,
        # People who hide streaks see only the forgiving strength score.
        "streak": 0 if user.hide_streaks else current_streak(days, local_date),
        "strength": round(practice_strength(days, local_date) * 100),
        "practice": practice,
        "practice_url": absolute(reverse("practices:detail", args=[practice.slug]))
        if practice
        else absolute(reverse("practices:index")),
        "journal_url": absolute(reverse("journal:new")),
        "faces_url": absolute(reverse("journal:faces")),
        "prompt": prompt_for(user, local_date),
        "settings_url": absolute(reverse("reminders:index")),
        "unsubscribe_url": absolute(reverse("reminders:unsubscribe", args=[kind_token])),
        "unsubscribe_all_url": absolute(
            reverse("reminders:unsubscribe", args=[unsubscribe_token(user, ALL_KINDS)])
        ),
    }
    if reminder.kind == Reminder.Kind.WEEKLY_SUMMARY:
        context["week"] = week_summary(user, local_date)
    name = reminder.kind.replace("_", "-")  # check_in -> check-in-subject.txt
    subject, text, html = render_email(f"reminders/emails/{name}", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[user.email],
        connection=connection,
        headers={
            # RFC 8058 one-click unsubscribe: mail clients POST to this URL.
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message
