"""Reminder emails: each message from three templates, with data read once per batch."""

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils.translation import ngettext

from ipnb_site.mail import absolute_url as absolute
from ipnb_site.mail import render_email
from progress.scores import current_streak, practice_strength
from push.models import PushSubscription
from reminders.models import Delivery, Reminder, ReminderPreferences

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


class Nudges:
    """What a batch of reminder emails needs, read in a fixed number of queries.

    One query each for preferences, the practice catalog, practised days (for
    streak, strength and "already practised today"), planned rest days,
    check-ins on the day, and the week's sessions and FACES ratings for weekly
    summaries, however many people are in the batch.
    """

    def __init__(self, deliveries: list[Delivery]):
        from journal.models import FacesRating, JournalEntry
        from practices.models import Practice, PracticeSession, RestDay

        self.deliveries = deliveries
        user_ids = {delivery.reminder.user_id for delivery in deliveries}
        days = {delivery.local_date for delivery in deliveries}
        self.preferences = {
            preferences.user_id: preferences
            for preferences in ReminderPreferences.objects.for_users(user_ids)
        }
        self.practices = list(Practice.objects.order_by("slug"))
        self.practice_days: dict[int, set[date]] = defaultdict(set)
        completed = PracticeSession.objects.for_users(user_ids).filter(completed=True)
        for user_id, day in completed.values_list("user_id", "local_date").distinct():
            self.practice_days[user_id].add(day)
        self.rest_days: dict[int, set[date]] = defaultdict(set)
        for user_id, day in RestDay.objects.for_users(user_ids).values_list(
            "user_id", "local_date"
        ):
            self.rest_days[user_id].add(day)
        self.checked_in: set[tuple[int, date]] = set()
        check_in_users = {d.reminder.user_id for d in self._of_kind(Reminder.Kind.CHECK_IN)}
        if check_in_users:
            for model in (FacesRating, JournalEntry):
                rows = model.objects.for_users(check_in_users).filter(local_date__in=days)
                self.checked_in.update(rows.values_list("user_id", "local_date").distinct())
        self.weeks = self._week_summaries()
        self.links = {
            name: absolute(reverse(view))
            for name, view in (
                ("practices", "practices:index"),
                ("journal", "journal:new"),
                ("faces", "journal:faces"),
                ("settings", "reminders:index"),
            )
        }
        self.practice_links = {
            p.slug: absolute(reverse("practices:detail", args=[p.slug])) for p in self.practices
        }

    def _of_kind(self, kind: str) -> list[Delivery]:
        return [d for d in self.deliveries if d.reminder.kind == kind]

    def _week_summaries(self) -> dict[int, dict]:
        """Each weekly summary's last seven local days, up to its delivery's day."""
        from journal.models import FACES_QUALITIES, FacesRating
        from practices.models import PracticeSession

        weekly = self._of_kind(Reminder.Kind.WEEKLY_SUMMARY)
        if not weekly:
            return {}
        user_ids = {d.reminder.user_id for d in weekly}
        span = (
            min(d.local_date for d in weekly) - timedelta(days=6),
            max(d.local_date for d in weekly),
        )
        sessions = PracticeSession.objects.for_users(user_ids).filter(local_date__range=span)
        session_rows = list(sessions.values_list("user_id", "local_date", "seconds_practised"))
        fields = [field for field, *_ in FACES_QUALITIES]
        ratings = FacesRating.objects.for_users(user_ids).filter(local_date__range=span)
        rating_rows = list(ratings.values_list("user_id", "local_date", *fields))
        weeks = {}
        for delivery in weekly:
            user_id, last_day = delivery.reminder.user_id, delivery.local_date
            first_day = last_day - timedelta(days=6)

            def in_week(row, user_id=user_id, first_day=first_day, last_day=last_day) -> bool:
                return row[0] == user_id and first_day <= row[1] <= last_day

            seconds = [row[2] for row in session_rows if in_week(row)]
            faces_rows = [row[2:] for row in rating_rows if in_week(row)]
            averages: dict = {
                field: (sum(row[n] for row in faces_rows) / len(faces_rows) if faces_rows else None)
                for n, field in enumerate(fields)
            }
            averages["ratings"] = len(faces_rows)
            weeks[delivery.pk] = {
                "first_day": first_day,
                "last_day": last_day,
                "minutes": round(sum(seconds) / 60),
                "sessions": len(seconds),
                "faces": averages,
                "faces_rows": [(label, averages[field]) for field, label, *_ in FACES_QUALITIES],
            }
        return weeks

    def push_subscriptions_of(self, user_id: int) -> list[PushSubscription]:
        """The person's devices, read for the whole batch at the first push."""
        if not hasattr(self, "_devices"):
            pushed = {d.reminder.user_id for d in self.deliveries if d.channel == "push"}
            self._devices: dict[int, list[PushSubscription]] = defaultdict(list)
            for subscription in PushSubscription.objects.for_users(pushed):
                self._devices[subscription.user_id].append(subscription)
        return list(self._devices[user_id])

    def forget_subscriptions(self, gone: list[PushSubscription]) -> None:
        for subscription in gone:
            devices = self._devices[subscription.user_id]
            if subscription in devices:
                devices.remove(subscription)

    def push_payload(self, delivery: Delivery) -> dict[str, str]:
        """What a push notification carries: a title, a line, where a tap goes, and a tag
        (a newer nudge of the same kind replaces an older one on the device). Nothing
        the person wrote, ever: the payload passes through the push service."""
        reminder = delivery.reminder
        if reminder.kind == Reminder.Kind.PRACTICE:
            practice = self.suggested_practice(reminder, delivery.local_date)
            title = f"A few minutes for {practice.name.lower()}?" if practice else "A few minutes?"
            body = "Whenever suits you today. Tap to begin."
            url = self.practice_links[practice.slug] if practice else self.links["practices"]
        elif reminder.kind == Reminder.Kind.CHECK_IN:
            title = "A moment to check in"
            body = "How is today going? A line in your journal, or a FACES rating."
            url = self.links["journal"]
        else:
            week = self.weeks[delivery.pk]
            minutes, sessions = week["minutes"], week["sessions"]
            title = "Your week of practice"
            if not sessions:
                body = "A quiet week. Whenever you're ready, a few minutes is plenty."
            else:
                body = ngettext("%(m)d minute", "%(m)d minutes", minutes) % {"m": minutes}
                body += ngettext(" in %(s)d session.", " in %(s)d sessions.", sessions) % {
                    "s": sessions
                }
            url = self.links["practices"]
        return {"title": title, "body": body, "url": url, "tag": f"reminder-{reminder.kind}"}

    def preferences_of(self, user) -> ReminderPreferences:
        return self.preferences.get(user.pk) or ReminderPreferences(user=user)

    def resting(self, delivery: Delivery) -> bool:
        """A practice nudge on a day the person planned to rest."""
        reminder = delivery.reminder
        return (
            reminder.kind == Reminder.Kind.PRACTICE
            and delivery.local_date in self.rest_days[reminder.user_id]
            and delivery.local_date not in self.practice_days[reminder.user_id]
        )

    def already_done(self, delivery: Delivery) -> bool:
        """Has the person already done what this nudge is for, that local day?"""
        reminder = delivery.reminder
        if reminder.kind == Reminder.Kind.PRACTICE:
            return delivery.local_date in self.practice_days[reminder.user_id]
        if reminder.kind == Reminder.Kind.CHECK_IN:
            return (reminder.user_id, delivery.local_date) in self.checked_in
        return False

    def suggested_practice(self, reminder: Reminder, local_date: date):
        """The practice the person chose, or one that changes from day to day."""
        chosen = next((p for p in self.practices if p.slug == reminder.practice_slug), None)
        if chosen is None and self.practices:
            chosen = self.practices[local_date.toordinal() % len(self.practices)]
        return chosen

    def message(self, delivery: Delivery, connection=None) -> EmailMultiAlternatives:
        from journal.prompts import prompt_for

        reminder = delivery.reminder
        user = reminder.user
        local_date = delivery.local_date
        days = self.practice_days[user.pk]
        rest = self.rest_days[user.pk]
        practice = self.suggested_practice(reminder, local_date)
        kind_token = unsubscribe_token(user, reminder.kind)
        context = {
            "site_name": settings.SITE_NAME,
            "user": user,
            "name": user.name,
            "reminder": reminder,
            "local_date": local_date,
            # People who hide streaks see only the forgiving strength score.
            "streak": 0 if user.hide_streaks else current_streak(days, local_date, rest),
            "strength": round(practice_strength(days, local_date, rest) * 100),
            "practice": practice,
            "practice_url": self.practice_links[practice.slug]
            if practice
            else self.links["practices"],
            "journal_url": self.links["journal"],
            "faces_url": self.links["faces"],
            "prompt": prompt_for(user, local_date),
            "settings_url": self.links["settings"],
            "unsubscribe_url": absolute(reverse("reminders:unsubscribe", args=[kind_token])),
            "unsubscribe_all_url": absolute(
                reverse("reminders:unsubscribe", args=[unsubscribe_token(user, ALL_KINDS)])
            ),
        }
        if reminder.kind == Reminder.Kind.WEEKLY_SUMMARY:
            context["week"] = self.weeks[delivery.pk]
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


def reminder_message(delivery: Delivery, connection=None) -> EmailMultiAlternatives:
    """One reminder email, built alone (a batch of one)."""
    return Nudges([delivery]).message(delivery, connection)
