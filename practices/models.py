"""Practices, the catalogue, and practice sessions with their server-side clock.

Longer than 400 lines because a session's life (start, steps, pause, finish,
abandon, check-ins) is one state machine that reads best in one place, beside
the parameter rules every door (forms, import) shares.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import ngettext

from accounts.freshness import DataVersionQuerySet
from accounts.ownership import NOT_YET_TODAY, DatedByOwner
from ipnb_site.reference import ProcessCopy
from ipnb_site.writing import NOTE_MAX_LENGTH, limited_sealed_text
from practices import breathing
from vault.fields import EncryptedJSONField

# Practice slugs share the /practices/<slug>/ space with these pages.
RESERVED_SLUGS = frozenset({"history", "log", "sessions"})
SENSES = ("see", "touch", "hear", "smell", "taste")
# Sources differ on the order of the senses; the practice's own step order
# comes first, and a person can pick one of these instead.
OTHER_SENSE_ORDERS = (
    ("see", "touch", "hear", "smell", "taste"),
    ("see", "hear", "touch", "smell", "taste"),
    ("touch", "see", "hear", "smell", "taste"),
)
MAX_MINUTES = 240
# The meditation timer's interval bell, in minutes (0: none).
INTERVAL_BELL_CHOICES = [
    (0, "No interval bell"),
    (1, "Every minute"),
    (2, "Every 2 minutes"),
    (5, "Every 5 minutes"),
    (10, "Every 10 minutes"),
]
# The meditation timer's quiet countdown before the clock starts, in seconds.
START_DELAY_CHOICES = [
    (0, "Start at once"),
    (5, "After 5 seconds"),
    (10, "After 10 seconds"),
    (30, "After 30 seconds"),
]
# A timer with no set end counts up until the person finishes it, and stops by
# itself at the longest sit any session can record.
ENDLESS_MAX_MINUTES = MAX_MINUTES
# A session nobody has touched for this long was left behind: it is closed as
# unfinished, keeping the time practised up to the last sign of life.
ABANDON_AFTER = timedelta(hours=3)
# A self-paced practice left open is not counted beyond this.
SELF_PACED_MAX_SECONDS = 30 * 60
# Timed practices count as finished when the clock reached the planned time
# give or take this much (rounding, and the moment the request takes).
END_TOLERANCE_SECONDS = 1
# A session practised on the device (offline, say) is sent when the connection
# returns: accepted if it began at most this long ago, and not in the future
# beyond the clock difference a phone may have.
DEVICE_SESSION_MAX_AGE = timedelta(days=14)
DEVICE_CLOCK_SKEW = timedelta(minutes=5)


def seconds_scale() -> float:
    """How fast guided time runs: 1 in real life; tests shorten it with PRACTICE_SECONDS_SCALE."""
    return float(getattr(settings, "PRACTICE_SECONDS_SCALE", 1))


def planned_seconds_for(minutes: int | None) -> int | None:
    if not minutes:
        return None
    return max(1, round(minutes * 60 * seconds_scale()))


class PracticeQuerySet(models.QuerySet):
    def with_last_settings_of(self, user) -> "PracticeQuerySet":
        """Each practice with `last_parameters`: the settings of the person's latest
        session of it begun here (None before there is one)."""
        latest = (
            PracticeSession.objects.for_user(user)
            .filter(practice=models.OuterRef("pk"))
            .begun_here_latest_first()
            .values("parameters")[:1]
        )
        return self.annotate(last_parameters=models.Subquery(latest))


class Practice(models.Model):
    class Category(models.TextChoices):
        BODY = "body", "Body"
        BREATH = "breath", "Breath"
        GROUNDING = "grounding", "Grounding"
        AWARENESS = "awareness", "Awareness"

    class Guide(models.TextChoices):
        """How the practice is guided: decides the options, the steps and the script on the page."""

        BODY_SCAN = "body_scan", "Body scan: timed steps"
        GROUNDING = "grounding", "Grounding: one sense per step, with written notes"
        BREATHWORK = "breathwork", "Breathwork: the animated pacer"
        WHEEL = "wheel", "Wheel of Awareness: timed steps, then a SIFT note"
        TIMER = "timer", "Meditation timer"

    slug = models.SlugField(unique=True, help_text="Part of the address: /practices/<slug>/.")
    name = models.CharField(max_length=80)
    category = models.CharField(max_length=20, choices=Category.choices)
    guide = models.CharField(max_length=20, choices=Guide.choices)
    summary = models.CharField(max_length=200, help_text="One sentence for the catalog.")
    rationale = models.TextField(help_text="Why it helps, in IPNB terms and in our own words.")
    duration_choices = models.JSONField(
        default=list,
        blank=True,
        help_text="Minutes a person can choose, e.g. [3, 5, 10, 20]. Empty for self-paced.",
    )
    default_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the catalog.")

    objects = PracticeQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("practices:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        errors = {}
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = f"“{self.slug}” is the address of another page. Choose another."
        choices = self.duration_choices
        if not isinstance(choices, list) or not all(
            isinstance(m, int) and 1 <= m <= MAX_MINUTES for m in choices
        ):
            errors["duration_choices"] = (
                f"Write a list of whole minutes from 1 to {MAX_MINUTES}, like [5, 10]."
            )
        elif self.is_timed and not choices:
            errors["duration_choices"] = "A timed practice needs at least one duration."
        elif choices and self.default_minutes not in choices:
            errors["default_minutes"] = "Choose one of the duration choices."
        if errors:
            raise ValidationError(errors)

    @property
    def is_timed(self) -> bool:
        """Runs for a chosen number of minutes."""
        return self.guide != self.Guide.GROUNDING

    @property
    def is_stepped(self) -> bool:
        """Goes through its steps one at a time, and is finished at the last one."""
        return self.guide in (self.Guide.BODY_SCAN, self.Guide.GROUNDING, self.Guide.WHEEL)

    def parameter_problems(self, parameters) -> dict[str, str]:
        """What is wrong with a session's settings for this practice, by setting.

        The one home of the rule: the start forms, the manual log and imports all
        come through here, with the same bounds and choices the forms offer.
        """
        if not isinstance(parameters, dict):
            return {"parameters": "This should be a set of values."}
        problems = {}
        known = {"minutes", "sound", *GUIDE_PARAMETERS.get(self.guide, ())}
        for name in parameters:
            if name not in known:
                problems[name] = f"we don't know the setting “{str(name)[:40]}”."
        minutes = parameters.get("minutes")
        if "minutes" in parameters and not _whole_number_within(minutes, 1, MAX_MINUTES):
            problems["minutes"] = f"Choose from 1 to {MAX_MINUTES} minutes."
        if "sound" in parameters and not isinstance(parameters["sound"], bool):
            problems["sound"] = "This should be true or false."
        if self.guide == self.Guide.GROUNDING and "sense_order" in parameters:
            order = parameters["sense_order"]
            # Cheap checks first: a file may hold a list of any length.
            if not (
                isinstance(order, list)
                and len(order) <= len(SENSES)
                and all(isinstance(sense, str) for sense in order)
                and "-".join(order) in {key for key, _ in self.sense_orders()}
            ):
                problems["sense_order"] = "Choose one of the orders of the senses offered."
        if self.guide == self.Guide.BREATHWORK:
            problems.update(_breathing_problems(parameters))
        if self.guide == self.Guide.TIMER and "interval_minutes" in parameters:
            interval = parameters["interval_minutes"]
            if isinstance(interval, bool) or interval not in dict(INTERVAL_BELL_CHOICES):
                problems["interval_minutes"] = "Choose an interval bell from the list."
            elif interval and isinstance(minutes, int) and interval >= minutes:
                problems["interval_minutes"] = (
                    "Choose an interval shorter than the time you're sitting."
                )
        if self.guide == self.Guide.TIMER:
            problems.update(_timer_mode_problems(parameters))
        return problems

    @property
    def ordered_steps(self) -> tuple["PracticeStep", ...]:
        """Its steps in order, from this process's copy (ipnb_site/reference.py)."""
        if self.pk is None:
            return ()
        steps = CATALOG_STEPS.get()
        if self.pk not in steps:  # added since this process made its copy
            CATALOG_STEPS.forget()
            steps = CATALOG_STEPS.get()
        return steps.get(self.pk, ())

    def sense_orders(self) -> list[tuple[str, str]]:
        """Grounding: orders of the senses to choose from, this practice's own order first."""
        own = tuple(step.key for step in self.ordered_steps if step.key in SENSES)
        orders = [own] if own else []
        orders += [order for order in OTHER_SENSE_ORDERS if order != own]
        return [("-".join(order), ", ".join(order).capitalize()) for order in orders]


GUIDE_PARAMETERS: dict[str, tuple[str, ...]] = {
    Practice.Guide.GROUNDING: ("sense_order",),
    Practice.Guide.BREATHWORK: ("pattern", "breaths_per_minute", *breathing.CUSTOM_SECONDS),
    Practice.Guide.TIMER: ("interval_minutes", "start_delay", "endless", "silent"),
}


def _timer_mode_problems(parameters: dict) -> dict[str, str]:
    """The meditation timer's start delay, endless mode and silent mode."""
    problems = {}
    if "start_delay" in parameters:
        delay = parameters["start_delay"]
        if isinstance(delay, bool) or delay not in dict(START_DELAY_CHOICES):
            problems["start_delay"] = "Choose a start delay from the list."
    for name in ("endless", "silent"):
        if name in parameters and not isinstance(parameters[name], bool):
            problems[name] = "This should be true or false."
    if parameters.get("endless") is True and "minutes" in parameters:
        problems["endless"] = "A sit with no set end has no minutes: choose one or the other."
    if parameters.get("silent") is True and parameters.get("sound") is True:
        problems["silent"] = "A silent sit rings no bells: turn off the sound or silent mode."
    return problems


def _whole_number_within(value, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _breathing_problems(parameters: dict) -> dict[str, str]:
    problems = {}
    pattern = parameters.get("pattern", breathing.DEFAULT_PATTERN)
    if not isinstance(pattern, str) or pattern not in breathing.PATTERNS:
        problems["pattern"] = "Choose one of the patterns."
    rate = parameters.get("breaths_per_minute")
    if rate is None:
        if pattern == "resonance":
            problems["breaths_per_minute"] = "Enter how many breaths a minute, such as 5.5."
    elif isinstance(rate, bool) or not isinstance(rate, int | float):
        problems["breaths_per_minute"] = "Enter a number such as 5.5."
    elif rate < breathing.RESONANCE_MIN_RATE:
        problems["breaths_per_minute"] = (
            f"Choose at least {breathing.RESONANCE_MIN_RATE:g} breaths a minute."
        )
    elif rate > breathing.RESONANCE_MAX_RATE:
        problems["breaths_per_minute"] = (
            f"Choose at most {breathing.RESONANCE_MAX_RATE:g} breaths a minute."
        )
    elif round(rate, 1) != rate:
        problems["breaths_per_minute"] = "Use at most one decimal place, such as 5.5."
    for name, (fewest, most) in breathing.CUSTOM_SECONDS.items():
        seconds = parameters.get(name)
        if seconds is None:
            if pattern == "custom" and fewest > 0:
                problems[name] = "Enter a number of seconds for your own pattern."
        elif not _whole_number_within(seconds, fewest, most):
            problems[name] = f"Choose a whole number of seconds from {fewest} to {most}."
    return problems


class PracticeStep(models.Model):
    """One guided step: a body region, a sense, a segment of the wheel."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(default=0)
    key = models.SlugField(
        max_length=30,
        blank=True,
        help_text="For grounding, the sense: see, touch, hear, smell or taste.",
    )
    title = models.CharField(max_length=80)
    cue = models.TextField(help_text="What the person reads (or hears read) during this step.")
    weight = models.PositiveSmallIntegerField(
        default=1, help_text="Share of the practice's time, relative to the other steps."
    )

    class Meta:
        ordering = ["practice", "position", "id"]

    def __str__(self) -> str:
        return f"{self.practice.name}: {self.title}"


def _steps_by_practice() -> dict[int, tuple[PracticeStep, ...]]:
    # Every practice has its entry, with no steps too, so a missing one is a new one.
    grouped: dict[int, list[PracticeStep]] = {
        pk: [] for pk in Practice.objects.values_list("pk", flat=True)
    }
    for step in PracticeStep.objects.order_by("practice_id", "position", "id"):
        grouped.setdefault(step.practice_id, []).append(step)
    return {practice_id: tuple(steps) for practice_id, steps in grouped.items()}


# Every session page and move reads its practice's steps: one copy per process.
CATALOG_STEPS = ProcessCopy(_steps_by_practice, Practice, PracticeStep)


@dataclass(frozen=True)
class GuideStep:
    """A step as one session meets it: in the session's order, with its share of the time."""

    index: int
    key: str
    title: str
    cue: str
    seconds: float | None
    count: int | None  # grounding: how many things to notice

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def heading(self) -> str:
        if self.count is not None:
            return ngettext(
                "%(count)d thing you can %(sense)s",
                "%(count)d things you can %(sense)s",
                self.count,
            ) % {"count": self.count, "sense": self.key}
        return self.title


@dataclass(frozen=True)
class PracticeClock:
    """Where a session's practice time stands at one moment."""

    elapsed: float
    remaining: float | None
    step_elapsed: float
    ends_at: datetime | None
    # Seconds of the start delay still to come: the clock starts after them.
    settling: float = 0.0


class _SessionsAsOfNow(models.query.ModelIterable):
    """Yields each session as it stands when read (see PracticeSession.as_of)."""

    def __iter__(self):
        now = timezone.now()
        for session in super().__iter__():
            yield session.as_of(now)


class PracticeSessionQuerySet(DataVersionQuerySet):
    def open(self) -> "PracticeSessionQuerySet":
        return self.filter(stage__in=PracticeSession.OPEN_STAGES)

    def in_progress(self, now=None) -> "PracticeSessionQuerySet":
        """Open sessions recent enough to pick up again."""
        now = now or timezone.now()
        return self.open().filter(last_seen_at__gte=now - ABANDON_AFTER)

    def as_of_now(self) -> "PracticeSessionQuerySet":
        """These sessions as pages show them: one left open too long reads as left
        unfinished, without a write. Still a QuerySet, so it can be counted and paged."""
        clone = self._chain()  # type: ignore[attr-defined]  # QuerySet's own copy
        clone._iterable_class = _SessionsAsOfNow  # how values() changes what rows become
        return clone

    def has_completed_on(self, user, local_date: date) -> bool:
        return self.for_user(user).filter(local_date=local_date, completed=True).exists()

    def begun_here_latest_first(self):
        """Sessions begun in the app, newest first. Sessions logged by hand only
        know their minutes, so they say nothing about the settings chosen."""
        return self.filter(logged_manually=False).order_by("-started_at", "-id")

    def last_settings(self, practice: Practice) -> dict | None:
        """The settings of the latest session of this practice begun here: what
        a person chose last time is what they get next time. Callers check them
        against the practice's rules before using them."""
        latest = self.filter(practice=practice).begun_here_latest_first()
        return latest.values_list("parameters", flat=True).first()

    def start(
        self,
        user,
        practice: Practice,
        *,
        request_id: uuid.UUID,
        parameters: dict,
        close_open: bool = False,
        now=None,
    ):
        """Begin a session, or find the one this request began before (a replay, a double click).

        Sessions the person left open too long are closed first, so what they
        practised is kept before anything new begins; with `close_open`, so
        are the ones still in progress (the person chose to close them).
        """
        now = now or timezone.now()
        mine = PracticeSession.objects.for_user(user)
        mine.close_abandoned(now)
        if close_open and not mine.filter(request_id=request_id).exists():
            with transaction.atomic():
                for session in mine.in_progress(now).select_for_update():
                    session.close(now)
        return self.model.objects.get_or_create(
            user=user,
            request_id=request_id,
            defaults={
                "practice": practice,
                "stage": PracticeSession.Stage.BEFORE,
                "parameters": parameters,
                "planned_seconds": planned_seconds_for(parameters.get("minutes")),
                "started_at": now,
                "last_seen_at": now,
                "local_date": user.local_date_of(now),
            },
        )

    def log_manually(
        self,
        user,
        *,
        request_id: uuid.UUID,
        practice: Practice,
        local_date: date,
        minutes: int,
        notes: str = "",
        now=None,
    ):
        """Record practice done elsewhere, on the person's own date, as finished."""
        now = now or timezone.now()
        # Only the day is known: call it midday there, or now if midday is still to come.
        started_at = min(datetime.combine(local_date, time(12), tzinfo=user.zone), now)
        return self.model.objects.get_or_create(
            user=user,
            request_id=request_id,
            defaults={
                "practice": practice,
                "logged_manually": True,
                "stage": PracticeSession.Stage.DONE,
                "completed": True,
                "started_at": started_at,
                "ended_at": started_at,
                "last_seen_at": now,
                "local_date": local_date,
                "seconds_practised": minutes * 60,
                "parameters": {"minutes": minutes},
                "notes": notes,
            },
        )

    def record_from_device(
        self,
        user,
        practice: Practice,
        *,
        request_id: uuid.UUID,
        parameters: dict,
        started_at: datetime,
        ended_at: datetime,
        zone: ZoneInfo,
        seconds_practised: int,
        reached_the_end: bool,
        before_rating: int | None = None,
        before_emotion: str = "",
        after_rating: int | None = None,
        now=None,
    ):
        """Keep a session practised on the device (perhaps offline) and sent afterwards.

        Returns (session, created). The page's request id makes this idempotent:
        a second send of the same session (a retried sync, two tabs) finds the
        first, even when both arrive at once. Raises ValidationError when the
        session breaks a rule of the model (see check_practised_on_device).
        """
        now = now or timezone.now()
        mine = PracticeSession.objects.for_user(user)
        replayed = mine.filter(request_id=request_id).first()
        if replayed:
            return replayed, False
        planned = planned_seconds_for(parameters.get("minutes"))
        session = self.model(
            user=user,
            practice=practice,
            request_id=request_id,
            stage=PracticeSession.Stage.DONE,
            parameters=parameters,
            planned_seconds=planned,
            started_at=started_at,
            ended_at=ended_at,
            last_seen_at=now,
            # The day on the device where it began; never after the person's own today
            # (a phone a zone ahead of their settings), which the model would refuse.
            local_date=min(started_at.astimezone(zone).date(), user.local_today()),
            seconds_practised=seconds_practised,
            before_rating=before_rating,
            before_emotion=before_emotion,
            after_rating=after_rating,
        )
        session.completed = session.counts_as_completed(reached_the_end)
        session.check_practised_on_device(now)
        session.full_clean(exclude=["user", "practice", "request_id"])
        try:
            with transaction.atomic():
                session.save(force_insert=True)
        except IntegrityError:  # the same session, sent at the same moment by another request
            return mine.get(request_id=request_id), False
        return session, True

    def close_abandoned(self, now=None) -> int:
        """Close sessions left open too long as unfinished. Returns how many were closed."""
        now = now or timezone.now()
        stale = list(self.open().filter(last_seen_at__lt=now - ABANDON_AFTER))
        for session in stale:
            session.mark_abandoned()
        PracticeSession.objects.bulk_update(
            stale, ["stage", "seconds_practised", "clock_started_at", "ended_at"]
        )
        return len(stale)


BEFORE_WORD_MAX_LENGTH = 40


class PracticeSession(DatedByOwner):
    class Stage(models.TextChoices):
        BEFORE = "before", "Checking in before"
        GUIDE = "guide", "Practising"
        AFTER = "after", "Checking in after"
        DONE = "done", "Saved"
        ABANDONED = "abandoned", "Left unfinished"

    OPEN_STAGES = (Stage.BEFORE, Stage.GUIDE)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_sessions"
    )
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="sessions")
    # The form that created the session carries this; a replay finds the same session.
    request_id = models.UUIDField(default=uuid.uuid4, editable=False)
    logged_manually = models.BooleanField(default=False)

    # start() opens a session at the before check-in; a session made any other way
    # (practice logged elsewhere, an import) is a finished record.
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.DONE)
    step = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    # The person's own date when the session started: what "a day" means everywhere.
    local_date = models.DateField()
    last_seen_at = models.DateTimeField(default=timezone.now)

    # The practice clock: seconds counted so far, plus the running stretch since
    # clock_started_at (None while paused or not running).
    planned_seconds = models.PositiveIntegerField(null=True, blank=True)
    seconds_practised = models.PositiveIntegerField(default=0)
    clock_started_at = models.DateTimeField(null=True, blank=True)
    step_began_second = models.PositiveIntegerField(default=0)
    completed = models.BooleanField(default=False)

    before_rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    # The person's own word for how they felt: sealed like their notes.
    before_emotion = limited_sealed_text(BEFORE_WORD_MAX_LENGTH, blank=True)
    after_rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    notes = limited_sealed_text(NOTE_MAX_LENGTH, blank=True)
    parameters = models.JSONField(default=dict, blank=True)
    # What the person noticed in grounding and SIFT steps, sealed like their notes.
    grounding_answers = EncryptedJSONField(default=dict, blank=True)

    objects = PracticeSessionQuerySet.as_manager()

    DAYS_NOT_AFTER_TODAY = {"local_date": NOT_YET_TODAY}

    class Meta:
        ordering = ["-local_date", "-started_at", "-id"]
        indexes = [
            models.Index(fields=["user", "local_date"], name="practice_session_user_day"),
            # Each practice's latest session, for the settings Begin remembers
            # (begun_here_latest_first): found at once, not by sorting them all.
            models.Index(
                fields=["user", "practice", "-started_at", "-id"], name="practice_session_latest"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["user", "request_id"], name="practice_session_once"),
            models.CheckConstraint(
                condition=models.Q(before_rating__isnull=True) | models.Q(before_rating__lte=10),
                name="practice_session_before_rating_0_10",
            ),
            models.CheckConstraint(
                condition=models.Q(after_rating__isnull=True) | models.Q(after_rating__lte=10),
                name="practice_session_after_rating_0_10",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.practice} on {self.local_date}"

    def save(self, *args, **kwargs):
        if self.local_date is None:
            self.local_date = self.user.local_date_of(self.started_at)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("practices:session", kwargs={"public_id": self.public_id})

    def clean(self):
        super().clean()
        if self.practice_id is None:
            return
        problems = self.practice.parameter_problems(self.parameters)
        if problems:
            raise ValidationError(
                {
                    "parameters": [
                        message if name == "parameters" else f"{name.replace('_', ' ')}: {message}"
                        for name, message in problems.items()
                    ]
                }
            )

    @cached_property
    def usable_parameters(self) -> dict:
        """The session's settings, or the practice's defaults when what is stored
        can't be used (written by an older version, or straight to the database):
        a page shows what it can rather than fail."""
        if self.practice.parameter_problems(self.parameters):
            return {}
        return self.parameters

    # Reading the session ------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.stage in self.OPEN_STAGES

    @property
    def is_running(self) -> bool:
        return self.stage == self.Stage.GUIDE and self.clock_started_at is not None

    @property
    def status(self) -> str:
        if self.logged_manually:
            return "Logged by you"
        if self.is_open:
            return "In progress"
        if self.stage == self.Stage.ABANDONED:
            return "Left unfinished"
        return "Finished" if self.completed else "Ended early"

    @property
    def seconds_so_far(self) -> int:
        """Time practised, counting a running clock up to now."""
        if self.is_running:
            return round(self.elapsed_seconds(timezone.now()))
        return self.seconds_practised

    @property
    def pattern_name(self) -> str:
        if self.practice.guide != Practice.Guide.BREATHWORK:
            return ""
        return breathing.name_for(self.usable_parameters)

    @cached_property
    def guide_steps(self) -> list[GuideStep]:
        steps = list(self.practice.ordered_steps)
        grounding = self.practice.guide == Practice.Guide.GROUNDING
        if grounding:
            by_key = {step.key: step for step in steps}
            order = self.usable_parameters.get("sense_order") or [step.key for step in steps]
            steps = [by_key[key] for key in order if key in by_key]
        timed_steps = self.practice.is_stepped and self.planned_seconds
        total_weight = sum(step.weight for step in steps) or 1
        return [
            GuideStep(
                index=index,
                key=step.key,
                title=step.title,
                cue=step.cue,
                seconds=(self.planned_seconds or 0) * step.weight / total_weight
                if timed_steps
                else None,
                count=len(steps) - index if grounding else None,
            )
            for index, step in enumerate(steps)
        ]

    @property
    def current_step(self) -> GuideStep | None:
        steps = self.guide_steps
        return steps[min(self.step, len(steps) - 1)] if steps else None

    @property
    def next_step(self) -> GuideStep | None:
        steps = self.guide_steps
        return steps[self.step + 1] if self.step + 1 < len(steps) else None

    @property
    def is_last_step(self) -> bool:
        return self.step >= len(self.guide_steps) - 1

    @property
    def interval_seconds(self) -> int | None:
        return planned_seconds_for(self.usable_parameters.get("interval_minutes"))

    @property
    def is_endless(self) -> bool:
        """A meditation timer with no set end: it counts up until the person finishes."""
        return self.usable_parameters.get("endless") is True

    @property
    def is_silent(self) -> bool:
        """A meditation timer with no bells at all: a soft glow and a buzz instead."""
        return self.usable_parameters.get("silent") is True

    @property
    def start_delay_seconds(self) -> int:
        return self.usable_parameters.get("start_delay", 0)

    @property
    def most_seconds(self) -> int:
        """The most practice time this session can count: its planned time; for an
        endless timer, the longest sit (the abandon rule still closes a forgotten
        one); for a self-paced practice, SELF_PACED_MAX_SECONDS."""
        if self.planned_seconds:
            return self.planned_seconds
        if self.is_endless:
            return planned_seconds_for(ENDLESS_MAX_MINUTES) or 0
        return SELF_PACED_MAX_SECONDS

    def elapsed_seconds(self, now) -> float:
        """Practice time so far. Never more than planned: the guide stops there.
        A clock that starts later (the start delay) has counted nothing yet."""
        elapsed = float(self.seconds_practised)
        if self.clock_started_at is not None:
            elapsed += max(0.0, (now - self.clock_started_at).total_seconds())
        return min(elapsed, self.most_seconds)

    def clock(self, now) -> PracticeClock:
        elapsed = self.elapsed_seconds(now)
        remaining = None
        ends_at = None
        settling = 0.0
        if self.clock_started_at is not None:
            settling = max(0.0, (self.clock_started_at - now).total_seconds())
        if self.planned_seconds:
            remaining = max(0.0, self.planned_seconds - elapsed)
            if self.is_running:
                ends_at = now + timedelta(seconds=settling + remaining)
        return PracticeClock(
            elapsed=elapsed,
            remaining=remaining,
            step_elapsed=max(0.0, elapsed - self.step_began_second),
            ends_at=ends_at,
            settling=settling,
        )

    def phases(self) -> list[dict]:
        return [phase.as_json() for phase in breathing.phases_for(self.usable_parameters)]

    def pattern_in_words(self) -> str:
        return breathing.describe(self.usable_parameters)

    def grounding_answers_in_order(self) -> list[tuple[GuideStep, list[str]]]:
        return [
            (step, self.grounding_answers.get(step.key, []))
            for step in self.guide_steps
            if self.grounding_answers.get(step.key)
        ]

    # Moving through the session -----------------------------------------------
    # Each move checks the stage (and step) it starts from, so a replayed or
    # doubled request changes nothing. Views call these inside a transaction
    # holding the row lock.

    def begin(self, now, *, rating: int | None = None, emotion: str = "") -> bool:
        """The before check-in is done or skipped: start the practice clock."""
        if self.stage != self.Stage.BEFORE:
            return False
        self.before_rating = rating
        self.before_emotion = emotion
        self.stage = self.Stage.GUIDE
        self.step = 0
        self.step_began_second = 0
        # With a start delay the clock starts that much later: the settling
        # countdown is not practice time, here or after a pause or a reload.
        self.clock_started_at = now + timedelta(seconds=self.start_delay_seconds)
        self.last_seen_at = now
        self.save(
            update_fields=[
                "before_rating",
                "before_emotion",
                "stage",
                "step",
                "step_began_second",
                "clock_started_at",
                "last_seen_at",
            ]
        )
        return True

    def advance(self, now, *, from_step: int, answers: list[str] | None = None) -> bool:
        """Move on to the next step, keeping what was written for this one."""
        if self.stage != self.Stage.GUIDE or from_step != self.step or self.is_last_step:
            return False
        self._keep_answers(answers)
        self.step += 1
        self.step_began_second = round(self.elapsed_seconds(now))
        self.last_seen_at = now
        self.save(update_fields=["grounding_answers", "step", "step_began_second", "last_seen_at"])
        return True

    def pause(self, now) -> bool:
        if not self.is_running:
            return False
        self.seconds_practised = round(self.elapsed_seconds(now))
        self.clock_started_at = None
        self.last_seen_at = now
        self.save(update_fields=["seconds_practised", "clock_started_at", "last_seen_at"])
        return True

    def resume(self, now) -> bool:
        if self.stage != self.Stage.GUIDE or self.clock_started_at is not None:
            return False
        self.clock_started_at = now
        self.last_seen_at = now
        self.save(update_fields=["clock_started_at", "last_seen_at"])
        return True

    def keep_alive(self, now) -> None:
        """The page is still open: remember it, so an abandoned session keeps its time."""
        if self.is_open:
            self.last_seen_at = now
            self.save(update_fields=["last_seen_at"])

    def finish(self, now, *, from_step: int | None = None, answers: list[str] | None = None):
        """End the practice, at its end or early, and move on to the after check-in."""
        if self.stage != self.Stage.GUIDE:
            return False
        if from_step == self.step:
            self._keep_answers(answers)
        elapsed = self.elapsed_seconds(now)
        if self.practice.is_stepped:
            self.completed = self.is_last_step
        elif self.is_endless:
            # No planned end: finishing is the end, once the clock has run at all.
            self.completed = elapsed >= END_TOLERANCE_SECONDS
        else:
            self.completed = elapsed + END_TOLERANCE_SECONDS >= (self.planned_seconds or 0)
        self._stop_clock(now, elapsed, self.Stage.AFTER, "grounding_answers", "completed")
        return True

    def check_in_after(self, now, *, rating: int | None = None, notes: str = "") -> bool:
        if self.stage != self.Stage.AFTER:
            return False
        self.after_rating = rating
        self.notes = notes
        self.last_seen_at = now
        self.stage = self.Stage.DONE
        self.save(update_fields=["after_rating", "notes", "last_seen_at", "stage"])
        return True

    def close(self, now) -> bool:
        """The person closes a session they won't finish: it is kept as left
        unfinished, with the time practised up to now."""
        if not self.is_open:
            return False
        self._stop_clock(now, self.elapsed_seconds(now), self.Stage.ABANDONED)
        return True

    def _stop_clock(self, now, elapsed: float, stage: str, *also_changed: str) -> None:
        """The practice ends now, keeping the time practised; saves what changed."""
        self.seconds_practised = round(elapsed)
        self.clock_started_at = None
        self.ended_at = now
        self.last_seen_at = now
        self.stage = stage
        self.save(
            update_fields=[
                *also_changed,
                "seconds_practised",
                "clock_started_at",
                "ended_at",
                "last_seen_at",
                "stage",
            ]
        )

    def counts_as_completed(self, reached_the_end: bool) -> bool:
        """Stepped practices are finished at their last step; timed ones when the
        clock reached the planned time (as finish() decides for the server's clock)."""
        if self.practice.is_stepped:
            return reached_the_end
        if self.is_endless:
            return self.seconds_practised >= END_TOLERANCE_SECONDS
        return self.seconds_practised + END_TOLERANCE_SECONDS >= (self.planned_seconds or 0)

    def check_practised_on_device(self, now) -> None:
        """The times a device reports must make sense together, and begin within
        DEVICE_SESSION_MAX_AGE: raises ValidationError otherwise."""
        errors = {}
        if self.started_at > now + DEVICE_CLOCK_SKEW:
            errors["started_at"] = "This session begins in the future. Check the device's clock."
        elif self.started_at < now - DEVICE_SESSION_MAX_AGE:
            errors["started_at"] = (
                f"This session began more than {DEVICE_SESSION_MAX_AGE.days} days ago, "
                "too long ago to add from the device. You can log it by hand instead."
            )
        if self.ended_at is None or not (
            self.started_at <= self.ended_at <= now + DEVICE_CLOCK_SKEW
        ):
            errors["ended_at"] = "This session should end after it began, and not in the future."
        elif self.seconds_practised > (self.ended_at - self.started_at).total_seconds() + 1:
            errors["seconds_practised"] = "More time practised than the session lasted."
        if self.seconds_practised > self.most_seconds + END_TOLERANCE_SECONDS:
            errors["seconds_practised"] = "More time practised than the practice lasts."
        if errors:
            raise ValidationError(errors)

    def would_begin_alike(self, practice: Practice, parameters: dict) -> bool:
        """Still at its before check-in, with the same practice and settings:
        beginning again would make a copy of this session."""
        return (
            self.stage == self.Stage.BEFORE
            and self.practice_id == practice.pk
            and self.parameters == parameters
        )

    def is_left_behind(self, now) -> bool:
        """Open, but untouched for longer than ABANDON_AFTER: it counts as left unfinished."""
        return self.is_open and self.last_seen_at < now - ABANDON_AFTER

    def as_of(self, now) -> "PracticeSession":
        """The session as it stands at `now`, for pages to show; nothing is saved.

        One left behind reads as left unfinished, with the time practised up
        to its last sign of life. It is closed in the database by the scheduled
        task, by the person's next start, or by the next move they post to it.
        """
        if self.is_left_behind(now):
            self.mark_abandoned()
        return self

    def close_if_abandoned(self, now) -> bool:
        if not self.is_left_behind(now):
            return False
        self.mark_abandoned()
        self.save(update_fields=["stage", "seconds_practised", "clock_started_at", "ended_at"])
        return True

    def mark_abandoned(self) -> None:
        """Close an open session as unfinished, counting time up to the last sign of life."""
        self.seconds_practised = round(self.elapsed_seconds(self.last_seen_at))
        self.clock_started_at = None
        self.ended_at = self.last_seen_at
        self.stage = self.Stage.ABANDONED

    def _keep_answers(self, answers: list[str] | None) -> None:
        step = self.current_step
        if answers is not None and step is not None and step.key:
            self.grounding_answers = {**self.grounding_answers, step.key: answers}


# Rest is part of a practice: planned rest days neither break a run of days nor
# lower the practice strength (progress/scores.py).
REST_DAYS_PER_WEEK = 2
REST_DAYS_AHEAD = 60


class RestDayQuerySet(DataVersionQuerySet):
    def plan(self, user, day: date) -> "RestDay":
        """Mark `day` as a rest day, with the model's rules, exactly once."""
        from accounts.models import User

        with transaction.atomic():
            # One person's plans are made one at a time, so two taps at once
            # can't both take a week's last rest day.
            User.objects.select_for_update().filter(pk=user.pk).first()
            existing = self.filter(user=user, local_date=day).first()
            if existing is not None:
                return existing
            rest_day = self.model(user=user, local_date=day)
            rest_day.full_clean()
            rest_day.save()
        return rest_day

    def days_of(self, user, first: date | None = None) -> set[date]:
        rows = self.for_user(user)
        if first is not None:
            rows = rows.filter(local_date__gte=first)
        return set(rows.values_list("local_date", flat=True))


class RestDay(models.Model):
    """A day the person plans not to practise."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rest_days"
    )
    local_date = models.DateField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = RestDayQuerySet.as_manager()

    class Meta:
        ordering = ["local_date"]
        constraints = [
            models.UniqueConstraint(fields=["user", "local_date"], name="rest_day_once"),
        ]

    def __str__(self) -> str:
        return f"Rest day {self.local_date}"

    def clean(self) -> None:
        super().clean()
        if self.local_date is None or getattr(self, "user_id", None) is None:
            return
        if self.local_date > self.user.local_today() + timedelta(days=REST_DAYS_AHEAD):
            raise ValidationError(
                {"local_date": f"Rest days can be planned up to {REST_DAYS_AHEAD} days ahead."},
                code="too_far_ahead",
            )
        monday = self.local_date - timedelta(days=self.local_date.weekday())
        same_week = (
            RestDay.objects.filter(
                user_id=self.user_id, local_date__range=(monday, monday + timedelta(days=6))
            )
            .exclude(pk=self.pk)
            .count()
        )
        if same_week >= REST_DAYS_PER_WEEK:
            raise ValidationError(
                {
                    "local_date": f"That week already has its {REST_DAYS_PER_WEEK} rest days. "
                    "Choose a day in another week."
                },
                code="week_full",
            )
