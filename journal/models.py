"""The private journal: entries with named feelings, FACES self-ratings,
integration check-ins and reflections on repair after rupture.

Every row a person writes belongs to them (`user`), is addressed in URLs by
`public_id`, and is read only through `for_user(user)`. Nothing here puts a
person's words in `__str__`, so text cannot leak into logs by accident.

Longer than 400 lines because the journal's five kinds of record share their
querysets (owned, soft-deleted, tracked for the dashboard) and rules.
"""

import uuid
from datetime import date, timedelta
from typing import NamedTuple, cast

from django.conf import settings
from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.freshness import DataVersionQuerySet
from accounts.ownership import NOT_YET_TODAY, DatedByOwner, OwnedQuerySet
from ipnb_site.reference import ProcessCopy
from ipnb_site.writing import NOTE_MAX_LENGTH, limited_sealed_text
from journal.vocabulary import quadrant_for
from vault.blind_index import forget_rows
from vault.crypto import is_sealed
from vault.fields import EncryptedJSONField, EqualityKeyField

# How long "Undo" stays available after deleting; later the row is purged.
UNDO_WINDOW = timedelta(minutes=10)

BODY_MAX_LENGTH = 50_000
# A fortnightly look back is an entry whose prompt key names its fortnight's first day.
LOOK_BACK_KEY_PREFIX = "look-back-"


def one_to_five():
    return [MinValueValidator(1), MaxValueValidator(5)]


def zero_to_ten():
    return [MinValueValidator(0), MaxValueValidator(10)]


class SoftDeleteQuerySet(DataVersionQuerySet):
    """Rows deleted with a short undo: hidden at once, purged after UNDO_WINDOW."""

    def visible_condition(self) -> Q:
        return Q(deleted_at__isnull=True)

    def restorable_for_user(self, user, now=None):
        now = now or timezone.now()
        return self.filter(user=user, deleted_at__gt=now - UNDO_WINDOW)

    def purge_deleted(self, now=None) -> int:
        """Delete for good what was deleted longer than UNDO_WINDOW ago."""
        now = now or timezone.now()
        purged = self.filter(deleted_at__lte=now - UNDO_WINDOW)
        if getattr(self.model, "SEARCH_KIND", ""):
            forget_rows(self.model.SEARCH_KIND, purged.values("public_id"))
        _, per_model = purged.delete()
        return per_model.get(self.model._meta.label, 0)


class SoftDeletable(models.Model):
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def soft_delete(self, now=None) -> None:
        self.deleted_at = now or timezone.now()
        self.save(update_fields=["deleted_at"])

    def restore(self) -> None:
        self.deleted_at = None
        self.save(update_fields=["deleted_at"])


# The emotion vocabulary ------------------------------------------------------


class Quadrant(models.TextChoices):
    HIGH_UNPLEASANT = "high-unpleasant", "High energy, unpleasant"
    HIGH_PLEASANT = "high-pleasant", "High energy, pleasant"
    LOW_UNPLEASANT = "low-unpleasant", "Low energy, unpleasant"
    LOW_PLEASANT = "low-pleasant", "Low energy, pleasant"


class EmotionWord(models.Model):
    """A feeling word placed on two axes. Shared vocabulary, owned by no one."""

    word = models.CharField(max_length=40, unique=True)
    pleasantness = models.SmallIntegerField(
        validators=[MinValueValidator(-5), MaxValueValidator(5)]
    )
    energy = models.SmallIntegerField(validators=[MinValueValidator(-5), MaxValueValidator(5)])
    quadrant = models.CharField(max_length=20, choices=Quadrant.choices, editable=False)
    # A line in plain words, shown beside the word so a person can check it fits.
    meaning = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["word"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pleasantness__gte=-5, pleasantness__lte=5) & ~Q(pleasantness=0),
                name="journal_emotion_pleasantness_range",
            ),
            models.CheckConstraint(
                condition=Q(energy__gte=-5, energy__lte=5) & ~Q(energy=0),
                name="journal_emotion_energy_range",
            ),
        ]

    def __str__(self) -> str:
        return self.word

    def save(self, *args, **kwargs):
        self.quadrant = quadrant_for(self.pleasantness, self.energy)
        super().save(*args, **kwargs)

    @classmethod
    def vocabulary(cls) -> tuple["EmotionWord", ...]:
        """Every word, alphabetical, from this process's copy (ipnb_site/reference.py)."""
        return VOCABULARY.get().words

    @classmethod
    def by_word(cls) -> dict[str, "EmotionWord"]:
        """The same words, looked up by the word (shared: read it, never change it)."""
        return VOCABULARY.get().by_word

    @classmethod
    def named(cls, word: str) -> "EmotionWord | None":
        return cls.by_word().get(word)

    @classmethod
    def in_quadrant(cls, quadrant: str) -> tuple["EmotionWord", ...]:
        """The words of one quadrant, alphabetical."""
        return VOCABULARY.get().by_quadrant.get(quadrant, ())


class _Vocabulary(NamedTuple):
    words: tuple[EmotionWord, ...]
    by_word: dict[str, EmotionWord]
    by_quadrant: dict[str, tuple[EmotionWord, ...]]


def _load_vocabulary() -> _Vocabulary:
    words = tuple(EmotionWord.objects.all())
    return _Vocabulary(
        words,
        {emotion.word: emotion for emotion in words},
        {q: tuple(e for e in words if e.quadrant == q) for q in Quadrant.values},
    )


# The entry form, its save, the quick feeling card and the search read all of
# it, by word and by quadrant: one copy per process, its lookups built once.
VOCABULARY = ProcessCopy(_load_vocabulary, EmotionWord)


# Entries ---------------------------------------------------------------------


TAG_MAX_LENGTH = 40
TAG_TWICE = "You already have this tag."


class TagQuerySet(OwnedQuerySet):
    def with_names(self, user, names):
        """The person's tags with these names, exactly as written.

        Names are sealed, so they are found by their keyed fingerprint (`name_key`).
        """
        name_key = cast(EqualityKeyField, self.model._meta.get_field("name_key"))
        return self.filter(user=user, name_key__in=[name_key.key_for(user.pk, n) for n in names])

    def named(self, user, names) -> dict[str, "Tag"]:
        """The same, by name: one query."""
        return {tag.name: tag for tag in self.with_names(user, names)}

    def get_or_create_named(self, user, name: str) -> "Tag":
        name_key = cast(EqualityKeyField, self.model._meta.get_field("name_key"))
        key = name_key.key_for(user.pk, name)
        return self.get_or_create(user=user, name_key=key, defaults={"name": name})[0]


class Tag(models.Model):
    """A person's own word for what an entry is about; shown in order of its name
    (`by_name`), which the database can't sort: it holds the name sealed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journal_tags"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = limited_sealed_text(TAG_MAX_LENGTH)
    name_key = EqualityKeyField(of="name")

    objects = TagQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name_key"],
                name="journal_tag_name_key_unique_per_user",
                violation_error_message=TAG_TWICE,
            )
        ]

    def __str__(self) -> str:
        return f"Tag {self.public_id}"

    def clean(self) -> None:
        # The fingerprint the database keeps unique, so full_clean can ask about it.
        if self.user_id and self.name:
            self.name_key = cast(EqualityKeyField, self._meta.get_field("name_key")).key_of(self)

    @staticmethod
    def by_name(tags) -> list["Tag"]:
        return sorted(tags, key=lambda tag: (tag.name.casefold(), tag.name))


def _draft_signer(user) -> signing.Signer:
    # Salted per person: a key issued to one account is worthless to another.
    return signing.Signer(salt=f"journal.draft.{user.pk}")


class JournalEntryQuerySet(SoftDeleteQuerySet):
    def with_details(self):
        return self.prefetch_related(
            models.Prefetch(
                "named_emotions", queryset=NamedEmotion.objects.select_related("emotion")
            ),
            "tags",
        )

    def drafts(self):
        return self.filter(is_draft=True)

    def for_draft(self, user, public_id: uuid.UUID) -> "JournalEntry":
        """The entry a new-entry page is writing to, or a fresh one to create.

        A page keeps one key for its whole life, so repeated autosaves and a
        double-clicked Save all land on one row. If that draft was deleted
        meanwhile, saving brings it back: what the person typed wins.
        """
        entry = self.filter(user=user, public_id=public_id).first()
        if entry is None:
            return self.model(user=user, public_id=public_id, is_draft=True)
        if entry.deleted_at is not None:
            entry.deleted_at = None
        return entry

    def name_feeling(self, user, emotion: "EmotionWord", intensity: int) -> "NamedEmotion":
        """A feeling named on its own, from Today's "how are you?".

        It is kept as an entry with no words holding that one feeling, so it
        shows up (and is counted, exported and re-rated) wherever feelings do.
        Both rows pass the model's full validation before anything is saved.
        """
        with transaction.atomic():
            entry = self.model(user=user, local_date=user.local_today(), is_draft=False)
            entry.full_clean()
            entry.save()
            named = NamedEmotion(entry=entry, user=user, emotion=emotion, intensity=intensity)
            named.full_clean()
            named.save()
        return named


class JournalEntry(SoftDeletable, DatedByOwner):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journal_entries"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    local_date = models.DateField(help_text="The writer's own calendar day.")
    body = limited_sealed_text(BODY_MAX_LENGTH, blank=True)
    prompt_key = models.CharField(max_length=40, blank=True)
    # The prompt as it read when the person wrote to it; wording may change later.
    prompt_text = models.TextField(blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="entries")
    is_draft = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = JournalEntryQuerySet.as_manager()

    # The blind index (vault/blind_index.py) keeps these searchable while sealed.
    SEARCH_KIND = "entry"
    SEARCH_FIELDS = ("body",)

    DAYS_NOT_AFTER_TODAY = {"local_date": NOT_YET_TODAY}

    class Meta:
        ordering = ["-local_date", "-created_at"]
        verbose_name_plural = "journal entries"
        indexes = [
            models.Index(fields=["user", "local_date"], name="journal_entry_user_date"),
            models.Index(
                fields=["deleted_at"],
                name="journal_entry_deleted",
                condition=Q(deleted_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Journal entry {self.public_id} on {self.local_date}"

    @staticmethod
    def new_draft_key(user) -> str:
        return _draft_signer(user).sign(str(uuid.uuid4()))

    @staticmethod
    def public_id_from_draft_key(user, key: str) -> uuid.UUID | None:
        try:
            return uuid.UUID(_draft_signer(user).unsign(key))
        except (signing.BadSignature, ValueError):
            return None

    def choose_prompt(self, prompt) -> None:
        """Write to `prompt` (None: to no prompt), keeping its words as they read now."""
        key = prompt.key if prompt else ""
        if key != self.prompt_key:
            self.prompt_key = key
            self.prompt_text = prompt.text if prompt else ""

    def save_draft(self) -> None:
        """Save, surviving a race with another save of the same new draft."""
        try:
            with transaction.atomic():
                self.save()
        except IntegrityError:
            # Another request created this draft a moment ago: update that row.
            existing = JournalEntry.objects.get(user=self.user, public_id=self.public_id)
            self.pk, self.created_at = existing.pk, existing.created_at
            self.save(force_update=True)

    def save_with(self, *, feelings: list[tuple["EmotionWord", int, str]], tag_names: list[str]):
        """Save the entry, its named feelings and its tags together, or none of them."""
        with transaction.atomic():
            new = self._state.adding
            self.save()
            # A row just added has no feelings or tags to compare with.
            self.set_feelings(feelings, new=new)
            self.set_tags(tag_names, new=new)

    def set_feelings(self, feelings: list[tuple["EmotionWord", int, str]], *, new=False) -> None:
        """Make the named feelings match `feelings` (emotion, intensity, body).

        A feeling that stays keeps its re-rating from after naming.
        """
        existing = {}
        if not new:
            chosen = {emotion.pk for emotion, _, _ in feelings}
            self.named_emotions.exclude(emotion_id__in=chosen).delete()
            existing = {named.emotion_id: named for named in self.named_emotions.all()}
        for emotion, intensity, body_location in feelings:
            named = existing.get(emotion.pk)
            if named is None:
                NamedEmotion.objects.create(
                    entry=self, emotion=emotion, intensity=intensity, body_location=body_location
                )
            elif (named.intensity, named.body_location) != (intensity, body_location):
                named.intensity, named.body_location = intensity, body_location
                named.save(update_fields=["intensity", "body_location"])

    def set_tags(self, names: list[str], *, new=False) -> None:
        tags = [Tag.objects.get_or_create_named(self.user, name) for name in names]
        if new:
            self.tags.add(*tags)
        else:
            self.tags.set(tags)

    @property
    def is_look_back(self) -> bool:
        return self.prompt_key.startswith(LOOK_BACK_KEY_PREFIX)

    @property
    def tags_by_name(self) -> list[Tag]:
        return Tag.by_name(self.tags.all())

    @property
    def tag_names(self) -> list[str]:
        return [tag.name for tag in self.tags_by_name]


class BodyLocation(models.TextChoices):
    HEAD = "head", "Head"
    FACE = "face", "Face or jaw"
    THROAT = "throat", "Throat"
    SHOULDERS = "shoulders", "Neck or shoulders"
    CHEST = "chest", "Chest or heart"
    STOMACH = "stomach", "Stomach or belly"
    BACK = "back", "Back"
    ARMS = "arms", "Arms or hands"
    LEGS = "legs", "Legs or feet"
    WHOLE = "whole", "All over"


class NamedEmotionQuerySet(DataVersionQuerySet):
    def visible_condition(self) -> Q:
        # A feeling goes with its entry: deleted together, back together on undo.
        return Q(entry__deleted_at__isnull=True)

    def rerating_summary(self) -> dict[str, int]:
        """Of the feelings re-rated after naming: how many felt softer, the same, stronger."""
        rerated = self.filter(intensity_after__isnull=False)
        return rerated.aggregate(
            rerated=models.Count("pk"),
            softer=models.Count("pk", filter=Q(intensity_after__lt=models.F("intensity"))),
            same=models.Count("pk", filter=Q(intensity_after=models.F("intensity"))),
            stronger=models.Count("pk", filter=Q(intensity_after__gt=models.F("intensity"))),
        )


class NamedEmotion(models.Model):
    """A feeling named in an entry, how strong it was, and how strong after naming."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", editable=False
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    entry = models.ForeignKey(JournalEntry, on_delete=models.CASCADE, related_name="named_emotions")
    emotion = models.ForeignKey(EmotionWord, on_delete=models.PROTECT, related_name="+")
    intensity = models.PositiveSmallIntegerField(validators=one_to_five())
    body_location = models.CharField(max_length=20, choices=BodyLocation.choices, blank=True)
    intensity_after = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=one_to_five()
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NamedEmotionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "emotion"], name="journal_named_emotion_once_per_entry"
            ),
            models.CheckConstraint(
                condition=Q(intensity__gte=1, intensity__lte=5),
                name="journal_named_emotion_intensity_range",
            ),
            models.CheckConstraint(
                condition=Q(intensity_after__isnull=True)
                | Q(intensity_after__gte=1, intensity_after__lte=5),
                name="journal_named_emotion_after_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Named emotion {self.public_id}"

    def save(self, *args, **kwargs):
        # The owner is always the entry's owner; the column lets queries and
        # ownership checks stay one simple filter.
        self.user_id = self.entry.user_id
        super().save(*args, **kwargs)

    @property
    def change_after_naming(self) -> str:
        """How the feeling moved after naming, in a word: softer, same or stronger."""
        if self.intensity_after is None:
            return ""
        if self.intensity_after < self.intensity:
            return "softer"
        if self.intensity_after > self.intensity:
            return "stronger"
        return "same"


# FACES -----------------------------------------------------------------------

# (field, label, what 1 means, what 5 means)
FACES_QUALITIES: tuple[tuple[str, str, str, str], ...] = (
    ("flexible", "Flexible", "stuck in one way", "able to shift"),
    ("adaptive", "Adaptive", "hard to adjust", "adjusting well"),
    ("coherent", "Coherent", "scattered", "holding together"),
    ("energized", "Energized", "drained", "full of life"),
    ("stable", "Stable", "shaky", "steady"),
)
FACES_FIELDS = tuple(field for field, *_ in FACES_QUALITIES)


class FacesRatingQuerySet(DataVersionQuerySet):
    def rate(self, user, local_date: date, scores: dict[str, int], note: str = ""):
        """Record the person's FACES for their day; rating again replaces it."""
        rating, _ = self.update_or_create(
            user=user, local_date=local_date, defaults={**scores, "note": note}
        )
        return rating


class FacesRating(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="faces_ratings"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    local_date = models.DateField()
    flexible = models.PositiveSmallIntegerField(validators=one_to_five())
    adaptive = models.PositiveSmallIntegerField(validators=one_to_five())
    coherent = models.PositiveSmallIntegerField(validators=one_to_five())
    energized = models.PositiveSmallIntegerField(validators=one_to_five())
    stable = models.PositiveSmallIntegerField(validators=one_to_five())
    note = limited_sealed_text(NOTE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FacesRatingQuerySet.as_manager()

    SEARCH_KIND = "faces"
    SEARCH_FIELDS = ("note",)

    class Meta:
        ordering = ["-local_date"]
        constraints = [
            models.UniqueConstraint(fields=["user", "local_date"], name="journal_faces_one_per_day")
        ] + [
            models.CheckConstraint(
                condition=Q(**{f"{field}__gte": 1, f"{field}__lte": 5}),
                name=f"journal_faces_{field}_range",
            )
            for field in FACES_FIELDS
        ]

    def __str__(self) -> str:
        return f"FACES rating {self.public_id} on {self.local_date}"

    @property
    def scores(self) -> list[tuple[str, int]]:
        return [(label, getattr(self, field)) for field, label, _, _ in FACES_QUALITIES]


# Integration check-ins -------------------------------------------------------

INTEGRATION_SIGNS = (
    ("flexibility", "Feelings came and went; I could move with them"),
    ("self-awareness", "I noticed what was going on inside me"),
    ("pausing", "I could pause before responding"),
    ("connection", "I felt connected with others"),
)
DISINTEGRATION_SIGNS = (
    ("scattered", "Scattered, pulled in many directions"),
    ("overwhelmed", "Easily overwhelmed"),
    ("rigid", "Rigid, stuck in one way of thinking or acting"),
    ("isolated", "Isolated, cut off or numb"),
)


class RiverZone(models.TextChoices):
    CHAOS = "chaos", "Near the chaos bank"
    FLOW = "flow", "In the flowing middle"
    RIGIDITY = "rigidity", "Near the rigidity bank"
    BOTH = "both", "Pulled toward both banks"


def river_reading(chaos: int, rigidity: int) -> dict:
    """What the river picture needs: the marker's x (30, on the chaos bank, to
    290, on the rigidity bank; 160 mid-river), the zone's words and the values."""
    zone = IntegrationCheckIn.zone_for(chaos, rigidity)
    return {
        "x": 160 + 13 * (rigidity - chaos),
        "zone": zone,
        "label": RiverZone(zone).label,
        "chaos": chaos,
        "rigidity": rigidity,
    }


class IntegrationCheckIn(SoftDeletable):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="integration_check_ins"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    local_date = models.DateField()
    chaos = models.PositiveSmallIntegerField(validators=zero_to_ten())
    rigidity = models.PositiveSmallIntegerField(validators=zero_to_ten())
    integration_signs = models.JSONField(default=list, blank=True)
    disintegration_signs = models.JSONField(default=list, blank=True)
    note = limited_sealed_text(NOTE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SoftDeleteQuerySet.as_manager()

    SEARCH_KIND = "checkin"
    SEARCH_FIELDS = ("note",)

    class Meta:
        ordering = ["-local_date", "-created_at"]
        indexes = [models.Index(fields=["user", "local_date"], name="journal_checkin_user_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(chaos__gte=0, chaos__lte=10, rigidity__gte=0, rigidity__lte=10),
                name="journal_checkin_slider_range",
            )
        ]

    def __str__(self) -> str:
        return f"Integration check-in {self.public_id} on {self.local_date}"

    @staticmethod
    def zone_for(chaos: int, rigidity: int) -> str:
        if chaos >= 6 and rigidity >= 6:
            return RiverZone.BOTH
        if abs(rigidity - chaos) <= 2 and max(chaos, rigidity) < 6:
            return RiverZone.FLOW
        return RiverZone.CHAOS if chaos > rigidity else RiverZone.RIGIDITY

    @property
    def river_zone(self) -> str:
        return self.zone_for(self.chaos, self.rigidity)

    @property
    def river_zone_label(self) -> str:
        return RiverZone(self.river_zone).label

    @property
    def river(self) -> dict:
        return river_reading(self.chaos, self.rigidity)

    @property
    def signs_noticed(self) -> list[str]:
        labels = dict(INTEGRATION_SIGNS + DISINTEGRATION_SIGNS)
        keys = list(self.integration_signs) + list(self.disintegration_signs)
        return [labels[key] for key in keys if key in labels]


# Repair after rupture --------------------------------------------------------


class RepairStatus(models.TextChoices):
    REPAIRED = "repaired", "Yes"
    PLANNED = "planned", "Planned"
    NOT_YET = "not-yet", "Not yet"


class RuptureQuerySet(SoftDeleteQuerySet):
    def open(self):
        return self.exclude(repair_status=RepairStatus.REPAIRED)

    def repaired(self):
        return self.filter(repair_status=RepairStatus.REPAIRED)


# What the person reads when the repair date and the rest disagree.
REPAIR_DATE_NEEDED = "Add the day you reconnected, so you can see how long repair took."
REPAIR_DATE_NOT_YET = "Leave this empty until you have reconnected, or choose “Yes” above."
REPAIR_BEFORE_RUPTURE = "The repair can't come before the day it happened."
REPAIR_DAY_TO_COME = (
    "That day hasn't come yet where you are. If a repair is planned, choose "
    "“Planned” and add the day once it has happened."
)


RELATIONSHIP_MAX_LENGTH = 60


class Rupture(SoftDeletable, DatedByOwner):
    """A moment of disconnection with someone, and the repair that follows.

    The one home of the repair rules: the repair date is set only once repaired,
    and comes after the rupture. Forms, imports and the database all meet them here.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ruptures"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    relationship = limited_sealed_text(RELATIONSHIP_MAX_LENGTH)
    what_happened = limited_sealed_text(NOTE_MAX_LENGTH)
    felt = models.ManyToManyField(EmotionWord, blank=True, related_name="+")
    my_part = limited_sealed_text(NOTE_MAX_LENGTH, blank=True)
    repair_status = models.CharField(
        max_length=10, choices=RepairStatus.choices, default=RepairStatus.NOT_YET
    )
    how_it_went = limited_sealed_text(NOTE_MAX_LENGTH, blank=True)
    ruptured_on = models.DateField()
    repaired_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RuptureQuerySet.as_manager()

    SEARCH_KIND = "rupture"
    SEARCH_FIELDS = ("relationship", "what_happened", "my_part", "how_it_went")

    DAYS_NOT_AFTER_TODAY = {"ruptured_on": NOT_YET_TODAY, "repaired_on": REPAIR_DAY_TO_COME}

    class Meta:
        ordering = ["-ruptured_on", "-created_at"]
        indexes = [models.Index(fields=["user", "ruptured_on"], name="journal_rupture_user_date")]
        # Checked in this order; the person sees the first that fails.
        constraints = [
            models.CheckConstraint(
                condition=Q(repaired_on__isnull=True) | Q(repair_status="repaired"),
                name="journal_rupture_repair_date_only_when_repaired",
                violation_error_message=REPAIR_DATE_NOT_YET,
            ),
            models.CheckConstraint(
                condition=Q(repaired_on__isnull=True) | Q(repaired_on__gte=models.F("ruptured_on")),
                name="journal_rupture_repair_after_rupture",
                violation_error_message=REPAIR_BEFORE_RUPTURE,
            ),
        ]

    def __str__(self) -> str:
        return f"Rupture {self.public_id} on {self.ruptured_on}"

    def rules_between_fields(self, skipped: set[str]) -> dict[str, ValidationError]:
        if {"repaired_on", "repair_status"} & skipped:
            return {}
        if self.repair_status == RepairStatus.REPAIRED and self.repaired_on is None:
            return {"repaired_on": ValidationError(REPAIR_DATE_NEEDED, code="repair_date")}
        return {}

    def validate_constraints(self, exclude=None) -> None:
        try:
            super().validate_constraints(exclude)
        except ValidationError as error:
            # Both checks are about the repair date: say the first beside it.
            errors = error.update_error_dict({})
            if NON_FIELD_ERRORS in errors:
                errors["repaired_on"] = errors.pop(NON_FIELD_ERRORS)[:1]
            raise ValidationError(errors) from None

    @property
    def local_date(self) -> date:
        return self.ruptured_on

    @property
    def is_open(self) -> bool:
        return self.repair_status != RepairStatus.REPAIRED

    @property
    def days_to_repair(self) -> int | None:
        if self.repaired_on is None:
            return None
        return (self.repaired_on - self.ruptured_on).days

    def days_open(self, today: date) -> int:
        return max((today - self.ruptured_on).days, 0)


# Window of tolerance -------------------------------------------------------------


class WindowState(models.TextChoices):
    ABOVE = "above", "Above my window"
    WITHIN = "within", "Within my window"
    BELOW = "below", "Below my window"


SIGN_MAX_LENGTH = 40
SIGNS_MAX = 8
# Starting points only: a person keeps, changes or replaces them in their own words.
SUGGESTED_SIGNS = {
    WindowState.ABOVE: ("racing thoughts", "tense", "snappy", "heart pounding", "restless"),
    WindowState.BELOW: ("numb", "foggy", "flat", "far away", "heavy"),
}
SIGNS_INVALID = "Please give your signs as a list of short words."
SIGN_TOO_LONG = f"Keep each sign to {SIGN_MAX_LENGTH} characters or fewer."
SIGNS_TOO_MANY = f"Up to {SIGNS_MAX} signs on each side, so the check-in stays quick to read."
SIGN_TWICE = "“{sign}” is there twice."


def validate_signs(value) -> None:
    """A side of the map: a short list of distinct, short, non-empty words."""
    if not isinstance(value, list) or not all(isinstance(sign, str) for sign in value):
        raise ValidationError(SIGNS_INVALID, code="not_signs")
    if len(value) > SIGNS_MAX:
        raise ValidationError(SIGNS_TOO_MANY, code="too_many")
    seen: set[str] = set()
    for sign in value:
        if not sign.strip() or sign != sign.strip() or "\n" in sign:
            raise ValidationError(SIGNS_INVALID, code="not_signs")
        if len(sign) > SIGN_MAX_LENGTH:
            raise ValidationError(SIGN_TOO_LONG, code="too_long")
        if sign.casefold() in seen:
            raise ValidationError(SIGN_TWICE.format(sign=sign), code="twice")
        seen.add(sign.casefold())


class WindowMap(models.Model):
    """A person's own signs of being above their window of tolerance and below it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="window_maps"
    )
    # Each side is sealed whole, so how many signs it has is hidden too.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    above_signs = EncryptedJSONField(default=list, blank=True, validators=[validate_signs])
    below_signs = EncryptedJSONField(default=list, blank=True, validators=[validate_signs])
    updated_at = models.DateTimeField(auto_now=True)

    objects = DataVersionQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user"], name="journal_window_map_one")]

    def __str__(self) -> str:
        return f"Window map of user {self.user_id}"

    @classmethod
    def signs_read_apart(cls, owner_id: int, public_id, field: str, stored) -> list[str] | None:
        """One side of a map read without its row (Today reads it in a subquery), opened."""
        if isinstance(stored, str) and is_sealed(stored):
            sealed_field = cast(EncryptedJSONField, cls._meta.get_field(field))
            return sealed_field.open_at(owner_id, public_id, stored)
        return stored


class WindowCheckInQuerySet(DataVersionQuerySet):
    def record(self, user, state: str, now=None) -> "WindowCheckIn":
        """One tap: where the person is now, on their own calendar day."""
        check_in = self.model.now_for(user, now)
        check_in.state = state
        check_in.full_clean()
        check_in.save()
        return check_in


class WindowCheckIn(DatedByOwner):
    """Above, within or below the window, at one moment: a noticing, not a score."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="window_check_ins"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    state = models.CharField(max_length=10, choices=WindowState.choices)
    checked_at = models.DateTimeField(default=timezone.now)
    local_date = models.DateField(help_text="The person's own calendar day.")

    objects = WindowCheckInQuerySet.as_manager()

    DAYS_NOT_AFTER_TODAY = {"local_date": NOT_YET_TODAY}

    class Meta:
        ordering = ["-checked_at"]
        indexes = [
            models.Index(fields=["user", "checked_at"], name="journal_window_user_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=WindowState.values),
                name="journal_window_state_known",
                violation_error_message="Please choose above, within or below.",
            )
        ]

    def __str__(self) -> str:
        return f"Window check-in {self.public_id} on {self.local_date}"

    @classmethod
    def now_for(cls, user, now=None) -> "WindowCheckIn":
        """A check-in at this moment, on the person's own calendar day (not yet saved)."""
        now = now or timezone.now()
        return cls(user=user, checked_at=now, local_date=now.astimezone(user.zone).date())


# The fortnightly look back ------------------------------------------------------

FORTNIGHT = timedelta(days=14)


class LookBackPlan(models.Model):
    """A person's choice to look back every two weeks, counted from the day they chose it.

    No row: the look back is off (it is off until a person turns it on).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="look_back_plans"
    )
    starts_on = models.DateField(help_text="The first day of the first fortnight.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DataVersionQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user"], name="journal_look_back_plan_one")]

    def __str__(self) -> str:
        return f"Look-back plan of user {self.user_id}"

    @property
    def first_ready_on(self) -> date:
        return self.starts_on + FORTNIGHT


def last_fortnight(starts_on: date, today: date) -> tuple[date, date] | None:
    """The latest fortnight counted from `starts_on` that has ended by `today`
    (its first and last day), if any: whole days of the person's own calendar."""
    ended = (today - starts_on).days // FORTNIGHT.days
    if ended < 1:
        return None
    first = starts_on + FORTNIGHT * (ended - 1)
    return first, first + FORTNIGHT - timedelta(days=1)


def look_back_key(first_day: date) -> str:
    """The journal prompt key of the look back on the fortnight starting `first_day`."""
    return f"{LOOK_BACK_KEY_PREFIX}{first_day.isoformat()}"
