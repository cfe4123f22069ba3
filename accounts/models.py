import uuid
import zoneinfo
from datetime import date, datetime, time, timedelta
from typing import ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core import signing
from django.db import models
from django.utils import timezone as django_timezone

from accounts.days import day_of, validate_day_end
from accounts.timezones import selectable_timezones, similar_timezones


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        # Addresses are compared case-insensitively: Ana@X.org and ana@x.org are one person.
        return (email or "").strip().lower()

    def get_by_natural_key(self, username):
        return self.get(email=self.normalize_email(username))

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    # A sign-up is finished from a link emailed to the address, so nobody can
    # create an account for an address they don't read. The link carries what
    # the form asked for, signed; nothing is stored until the password is chosen.
    SIGNUP_SALT = "accounts.signup"
    SIGNUP_LINK_LIFETIME = timedelta(days=1)
    SIGNUP_FIELDS = ("email", "display_name", "timezone")

    def signup_token(self, *, email: str, display_name: str, timezone: str) -> str:
        details = {
            "email": self.normalize_email(email),
            "display_name": display_name,
            "timezone": timezone,
        }
        return signing.dumps(details, salt=self.SIGNUP_SALT, compress=True)

    def signup_details(self, token: str) -> dict:
        """What a sign-up link carries; raises signing.BadSignature (or its
        SignatureExpired) when the link is damaged, forged or over a day old."""
        details = signing.loads(token, salt=self.SIGNUP_SALT, max_age=self.SIGNUP_LINK_LIFETIME)
        if not isinstance(details, dict) or set(details) != set(self.SIGNUP_FIELDS):
            raise signing.BadSignature("incomplete sign-up link")
        return details

    def data_changed(self, *user_ids: int) -> None:
        """Mark these people's data as changed, so cached figures are rebuilt."""
        self.filter(pk__in=set(user_ids)).update(data_version=models.F("data_version") + 1)

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


def _either(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def validate_timezone(value: str) -> None:
    from django.core.exceptions import ValidationError

    if value in selectable_timezones():
        return
    if suggestions := similar_timezones(value):
        raise ValidationError(
            "We don't know the time zone “%(typed)s”. Did you mean %(suggestions)s?",
            code="unknown_timezone",
            params={"typed": value, "suggestions": _either(suggestions)},
        )
    raise ValidationError(
        "We don't know the time zone “%(typed)s”. Try a region and city, "
        "such as Europe/London or America/New_York.",
        code="unknown_timezone",
        params={"typed": value},
    )


class User(AbstractBaseUser, PermissionsMixin):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(
        max_length=60, blank=True, help_text="Used only in greetings and emails to you."
    )
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    # Streaks stress some people; the forgiving practice strength stays visible.
    hide_streaks = models.BooleanField(
        "Hide streaks",
        default=False,
        help_text="Show your practice strength, which forgives missed days, without counting "
        "days in a row.",
    )
    # Night owls' small hours belong to the day before (Medito #855).
    day_ends_at = models.TimeField(
        "My day ends at",
        default=time(0),
        validators=[validate_day_end],
        help_text="If you are often up after midnight, a later end keeps those hours in the "
        "day before: for your streak, your calendar and your reminders.",
    )
    # Bumped by every write to the person's practice or journal data; views
    # that cache figures put it in their cache key, so a write is never hidden.
    data_version = models.PositiveIntegerField(default=0, editable=False)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=django_timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email)

    @property
    def name(self) -> str:
        """The name to greet the person by: the one they chose, or none. Never a
        piece of their address, which would show on lock screens and reports."""
        return self.display_name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def local_now(self):
        return django_timezone.now().astimezone(self.zone)

    def local_date_of(self, moment: datetime) -> date:
        """The person's day a moment belongs to: their calendar date, except that the
        hours before their chosen day's end still count as the day before."""
        return day_of(moment.astimezone(self.zone), self.day_ends_at)

    def local_today(self) -> date:
        """The person's own day, which is what "a day" means everywhere."""
        return day_of(self.local_now(), self.day_ends_at)
