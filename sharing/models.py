"""Share links: a read-only report for a therapist, and each time it was opened.

Only a hash of a link's token is kept: the link itself is shown once, when it
is made. A link works until it expires (1 to 30 days, the person's choice) or
is revoked; 30 days after that it goes, with its openings
(`sharing.tasks.forget_old_share_links`).
"""

import hashlib
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.ownership import OwnedQuerySet
from portability.report import REPORT_MAX_DAYS, SECTIONS, Report
from sharing.browsers import describe_browser

# secrets.token_urlsafe(32): 256 random bits, 43 characters in the address.
TOKEN_BYTES = 32
LIFETIME_CHOICES = [(1, "1 day"), (7, "7 days"), (14, "14 days"), (30, "30 days")]
MOST_DAYS = 30
# More live links than this is a sign of a mistake, not of care.
LIVE_LINKS_PER_PERSON = 20
# A link that stopped working stays in the person's list this long, then goes.
KEPT_AFTER_ENDING = timedelta(days=30)


def hash_token(token: str) -> str:
    """What is stored and looked up: SHA-256 is enough for 256 random bits (no salt needed)."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class ShareLinkQuerySet(OwnedQuerySet):
    def live(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)

    def by_token(self, token: str) -> "ShareLink | None":
        """The live link this token opens, or None (unknown, expired and revoked alike)."""
        return self.live().select_related("user").filter(token_hash=hash_token(token)).first()

    def create_with_token(self, link: "ShareLink") -> tuple["ShareLink", str]:
        """Save a new link with a fresh token; the token is returned, never stored.

        The owner's row is locked while their live links are counted, so links
        made at the same moment can't pass the limit together.
        """
        token = secrets.token_urlsafe(TOKEN_BYTES)
        now = timezone.now()
        link.token_hash = hash_token(token)
        link.created_at = now
        if link.lifetime_days:
            link.expires_at = now + timedelta(days=link.lifetime_days)
        with transaction.atomic():
            list(
                get_user_model()
                .objects.select_for_update()
                .filter(pk=link.user_id)
                .values_list("pk", flat=True)
            )
            if self.for_user(link.user).live(now).count() >= LIVE_LINKS_PER_PERSON:
                raise ValidationError(
                    f"You have {LIVE_LINKS_PER_PERSON} links that still work. "
                    "Stop one you no longer need, then make this one.",
                    code="too_many_links",
                )
            link.full_clean()
            link.save()
        return link, token

    def forget_old(self, now=None) -> int:
        now = now or timezone.now()
        ended_long_ago = Q(expires_at__lte=now - KEPT_AFTER_ENDING) | Q(
            revoked_at__lte=now - KEPT_AFTER_ENDING
        )
        deleted, _ = self.filter(ended_long_ago).delete()
        return deleted


class ShareLink(models.Model):
    """A person's report for chosen dates and parts, readable by whoever has the link."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="share_links"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    start = models.DateField("From")
    end = models.DateField("To")
    shows_practice = models.BooleanField("Practice", default=True)
    shows_faces = models.BooleanField("FACES", default=True)
    shows_river = models.BooleanField("River check-ins", default=True)
    shows_feelings = models.BooleanField("Feelings named", default=True)
    shows_repair = models.BooleanField("Repair after rupture", default=True)
    shows_journal = models.BooleanField(
        "Include my journal entries and notes",
        default=False,
        help_text="Off unless you tick it: the link then shows numbers and feeling words only.",
    )
    lifetime_days = models.PositiveSmallIntegerField(
        "The link works for", choices=LIFETIME_CHOICES, default=7
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="share_link_ends_after_it_starts",
                violation_error_message="The end date is before the start date.",
            ),
            models.CheckConstraint(
                condition=Q(lifetime_days__in=[days for days, _ in LIFETIME_CHOICES]),
                name="share_link_lifetime_is_offered",
                violation_error_message="Choose 1, 7, 14 or 30 days.",
            ),
            models.CheckConstraint(
                condition=Q(shows_practice=True)
                | Q(shows_faces=True)
                | Q(shows_river=True)
                | Q(shows_feelings=True)
                | Q(shows_repair=True)
                | Q(shows_journal=True),
                name="share_link_shows_something",
                violation_error_message="Choose at least one part of the report to share.",
            ),
        ]

    def __str__(self) -> str:
        return f"Share link {self.public_id}"

    def clean(self) -> None:
        super().clean()
        if self.start and self.end and (self.end - self.start).days >= REPORT_MAX_DAYS:
            raise ValidationError(
                f"A report can cover up to {REPORT_MAX_DAYS} days. Choose a shorter range."
            )
        if self.expires_at and self.expires_at > self.created_at + timedelta(days=MOST_DAYS):
            raise ValidationError(f"A link works for {MOST_DAYS} days at most.")

    @property
    def sections(self) -> frozenset[str]:
        return frozenset(name for name in SECTIONS if getattr(self, f"shows_{name}"))

    @property
    def section_labels(self) -> list[str]:
        labels = [label for name, label in SECTIONS.items() if name in self.sections]
        return [*labels, "Journal entries and notes"] if self.shows_journal else labels

    def report(self) -> Report:
        return Report(
            self.user,
            self.start,
            self.end,
            include_journal=self.shows_journal,
            sections=self.sections,
        )

    def state(self, now=None) -> str:
        """ "live", "revoked" or "expired", for the person's list."""
        now = now or timezone.now()
        if self.revoked_at is not None:
            return "revoked"
        return "live" if self.expires_at > now else "expired"

    def revoke(self) -> None:
        """Stop the link now; a second tap changes nothing."""
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    def record_opening(self, user_agent: str, *, as_pdf: bool = False) -> "ShareOpening":
        return ShareOpening.objects.create(
            link=self, browser=describe_browser(user_agent)[:60], as_pdf=as_pdf
        )


class ShareOpeningQuerySet(OwnedQuerySet):
    owner_field = "link__user"


class ShareOpening(models.Model):
    """One opening of a shared link: when, and which kind of browser. No address."""

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="openings")
    opened_at = models.DateTimeField(default=timezone.now)
    browser = models.CharField(max_length=60)
    as_pdf = models.BooleanField(default=False)

    objects = ShareOpeningQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return f"{self.browser} at {self.opened_at:%Y-%m-%d %H:%M}"
