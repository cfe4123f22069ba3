"""Forms for starting, stepping through and logging practices.

Just over 400 lines: one start form per guide (grounding, breathwork, timer),
with the check-ins and notes they share; the rules themselves live on the models.
"""

import uuid
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from django import forms

from accounts.ownership import check_not_after_today
from ipnb_site.writing import NOTE_MAX_LENGTH
from practices import breathing
from practices.models import (
    INTERVAL_BELL_CHOICES,
    MAX_MINUTES,
    GuideStep,
    Practice,
    PracticeSession,
)

RATING_CHOICES = [(n, str(n)) for n in range(11)]


class RequestIdField(forms.CharField):
    """A UUID the form carries from the page that rendered it.

    Submitting the same form twice (double click, back button, a replayed
    request) sends the same id, and the model finds the first session instead
    of making a second one. A missing or mangled id just gets a fresh one.
    """

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def clean(self, value):
        try:
            return uuid.UUID(str(super().clean(value)))
        except (ValueError, forms.ValidationError):  # e.g. a NUL, which CharField refuses
            return uuid.uuid4()


class OnceOnlyForm(forms.Form):
    request_id = RequestIdField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("request_id", uuid.uuid4())


# Starting a practice --------------------------------------------------------


class StartForm(OnceOnlyForm):
    """Options a person picks before a practice begins. Subclasses add their own."""

    sound_label = "Play a soft tone at each new step"
    sound_default = False

    def __init__(self, practice: Practice, *args, remembered: dict | None = None, **kwargs):
        self.practice = practice
        super().__init__(*args, **kwargs)
        if practice.is_timed:
            self.fields["minutes"] = forms.TypedChoiceField(
                label="How long?",
                choices=[(m, f"{m} minutes") for m in practice.duration_choices],
                coerce=int,
                initial=practice.default_minutes,
                widget=forms.RadioSelect,
                error_messages={"required": "Choose how long you'd like to practise."},
            )
            self.fields["sound"] = forms.BooleanField(
                label=self.sound_label,
                required=False,
                initial=self.sound_default,
                help_text="Made by your browser; you can turn it off during the practice.",
            )
        self.add_guide_fields()
        # What the person chose last time comes first, if it is still allowed.
        if remembered and not self.is_bound and not practice.parameter_problems(remembered):
            self.initial.update(self.initial_from(remembered))

    def add_guide_fields(self) -> None:
        """Fields particular to a kind of guide (subclasses add theirs here)."""

    def initial_from(self, parameters: dict) -> dict:
        """Saved settings as this form's initial values: the inverse of parameters()."""
        initial = {}
        if parameters.get("minutes") in self.practice.duration_choices:
            initial["minutes"] = parameters["minutes"]
        if "sound" in parameters:
            initial["sound"] = parameters["sound"]
        return initial

    def _post_clean(self):
        # After every clean(): the session model's own rule, which imports pass too.
        super()._post_clean()  # type: ignore[misc]  # the ModelForm's, after this mixin
        if not self.errors:
            for name, message in self.practice.parameter_problems(self.parameters()).items():
                self.add_error(name if name in self.fields else None, message)

    def parameters(self) -> dict:
        """What to keep with the session about how it was set up."""
        data = self.cleaned_data
        if not self.practice.is_timed:
            return {}
        return {"minutes": data["minutes"], "sound": data["sound"]}


class GroundingStartForm(StartForm):
    def add_guide_fields(self) -> None:
        orders = self.practice.sense_orders()
        self.fields["sense_order"] = forms.ChoiceField(
            label="Order of the senses",
            choices=orders,
            initial=orders[0][0] if orders else None,
            widget=forms.RadioSelect,
            help_text="Guides differ on the order. Pick the one that feels natural to you.",
        )

    def initial_from(self, parameters: dict) -> dict:
        order = parameters.get("sense_order")
        return {"sense_order": "-".join(order)} if order else {}

    def parameters(self) -> dict:
        return {"sense_order": self.cleaned_data["sense_order"].split("-")}


def _seconds_field(label: str, part: str) -> forms.IntegerField:
    """A part of your own breathing pattern, within the bounds the session model checks."""
    fewest, most = breathing.CUSTOM_SECONDS[part]
    return forms.IntegerField(label=label, min_value=fewest, max_value=most, required=False)


class BreathworkStartForm(StartForm):
    sound_label = "Play a soft tone when the breath changes"

    pattern = forms.ChoiceField(
        label="Pattern",
        choices=[(p.key, p.name) for p in breathing.PATTERNS.values()],
        initial=breathing.DEFAULT_PATTERN,
        widget=forms.RadioSelect,
    )
    breaths_per_minute = forms.DecimalField(
        label="Breaths a minute",
        min_value=Decimal(str(breathing.RESONANCE_MIN_RATE)),
        max_value=Decimal(str(breathing.RESONANCE_MAX_RATE)),
        max_digits=3,
        decimal_places=1,
        initial=Decimal(str(breathing.RESONANCE_DEFAULT_RATE)),
        required=False,
        help_text="For resonance breathing, from 4.5 to 7. Start at 5.5 and adjust until it "
        "feels easy.",
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
        error_messages={
            "min_value": "Choose at least 4.5 breaths a minute.",
            "max_value": "Choose at most 7 breaths a minute.",
            "invalid": "Enter a number such as 5.5.",
            "max_decimal_places": "Use at most one decimal place, such as 5.5.",
        },
    )
    inhale = _seconds_field("Breathe in (seconds)", "inhale")
    hold_in = _seconds_field("Hold (seconds)", "hold_in")
    exhale = _seconds_field("Breathe out (seconds)", "exhale")
    hold_out = _seconds_field("Hold again (seconds)", "hold_out")

    CUSTOM_FIELDS = tuple(breathing.CUSTOM_SECONDS)

    def add_guide_fields(self) -> None:
        for name, seconds in {"inhale": 4, "hold_in": 0, "exhale": 6, "hold_out": 0}.items():
            self.fields[name].initial = seconds

    def initial_from(self, parameters: dict) -> dict:
        initial = super().initial_from(parameters)
        if "pattern" in parameters:
            initial["pattern"] = parameters["pattern"]
        if "breaths_per_minute" in parameters:
            initial["breaths_per_minute"] = Decimal(str(parameters["breaths_per_minute"]))
        initial.update(
            {name: parameters[name] for name in self.CUSTOM_FIELDS if name in parameters}
        )
        return initial

    def custom_fields(self):
        return [self[name] for name in self.CUSTOM_FIELDS]

    def clean(self):
        data = super().clean() or {}
        pattern = data.get("pattern")
        # Settings of the patterns not chosen are hidden on the page: ignore their errors.
        used = {"resonance": {"breaths_per_minute"}, "custom": set(self.CUSTOM_FIELDS)}
        for name in {"breaths_per_minute", *self.CUSTOM_FIELDS} - used.get(str(pattern), set()):
            self.errors.pop(name, None)
        if (
            pattern == "resonance"
            and data.get("breaths_per_minute") is None
            and "breaths_per_minute" not in self.errors
        ):
            self.add_error("breaths_per_minute", "Enter how many breaths a minute, such as 5.5.")
        if pattern == "custom":
            for name in ("inhale", "exhale"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, "Enter a number of seconds for your own pattern.")
        return data

    def parameters(self) -> dict:
        data = self.cleaned_data
        parameters = {**super().parameters(), "pattern": data["pattern"]}
        if data["pattern"] == "resonance":
            parameters["breaths_per_minute"] = float(data["breaths_per_minute"])
        elif data["pattern"] == "custom":
            parameters.update({name: data[name] or 0 for name in self.CUSTOM_FIELDS})
        return parameters


class TimerStartForm(StartForm):
    sound_label = "Ring a soft bell at the start and the end"
    sound_default = True

    interval_minutes = forms.TypedChoiceField(
        label="Interval bell",
        choices=INTERVAL_BELL_CHOICES,
        coerce=int,
        initial=0,
        help_text="A gentle reminder to come back to the present. Uses the sound setting below.",
    )

    def add_guide_fields(self) -> None:
        # Show the interval bell before the sound setting it depends on.
        self.order_fields(["request_id", "minutes", "interval_minutes", "sound"])

    def initial_from(self, parameters: dict) -> dict:
        initial = super().initial_from(parameters)
        if "interval_minutes" in parameters:
            initial["interval_minutes"] = parameters["interval_minutes"]
        return initial

    def clean(self):
        data = super().clean() or {}
        interval, minutes = data.get("interval_minutes"), data.get("minutes")
        if interval and minutes and interval >= minutes:
            self.add_error(
                "interval_minutes", "Choose an interval shorter than the time you're sitting."
            )
        return data

    def parameters(self) -> dict:
        return {**super().parameters(), "interval_minutes": self.cleaned_data["interval_minutes"]}


START_FORMS: dict[str, type[StartForm]] = {
    Practice.Guide.GROUNDING: GroundingStartForm,
    Practice.Guide.BREATHWORK: BreathworkStartForm,
    Practice.Guide.TIMER: TimerStartForm,
}


def start_form_for(practice: Practice, *args, **kwargs) -> StartForm:
    return START_FORMS.get(practice.guide, StartForm)(practice, *args, **kwargs)


def remembered_start_form(practice: Practice, remembered: dict | None) -> StartForm:
    """The start form filled in with the person's last settings (or the
    defaults) and checked, as if they had sent the page unchanged: one tap on
    Begin goes through the same rules as the full form."""
    for settings in (remembered, None):
        shown = start_form_for(practice, remembered=settings)
        data = {name: shown[name].initial for name in shown.fields}
        form = start_form_for(practice, data)
        if form.is_valid():
            break
    return form


@dataclass(frozen=True)
class ReadyToBegin:
    """A practice and what its one-tap Begin starts with, in a few plain values
    (cacheable, no model instances): the person's last settings if still
    allowed, else the defaults. The begin view applies the same settings
    through remembered_start_form."""

    slug: str
    name: str
    minutes: int | None
    pattern_name: str

    @classmethod
    def of(cls, practice: Practice, remembered: dict | None) -> "ReadyToBegin":
        usable = {}
        # Only minutes and the pattern are shown. Grounding, untimed, shows
        # neither; its order of the senses (checking it reads the steps) is
        # checked when Begin is pressed.
        if remembered and practice.is_timed and not practice.parameter_problems(remembered):
            usable = remembered
        minutes = usable.get("minutes")
        if minutes not in practice.duration_choices:
            minutes = practice.default_minutes
        breathwork = practice.guide == Practice.Guide.BREATHWORK
        return cls(
            slug=practice.slug,
            name=practice.name,
            minutes=minutes if practice.is_timed else None,
            pattern_name=breathing.name_for(usable) if breathwork else "",
        )


def ready_to_begin(user, practices) -> list[tuple[Practice, ReadyToBegin]]:
    """Each practice with what its Begin starts with, in one query with the practices."""
    practices = practices.with_last_settings_of(user)
    return [
        (practice, ReadyToBegin.of(practice, practice.last_parameters)) for practice in practices
    ]


# During a session -------------------------------------------------------------


class RatingField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            choices=RATING_CHOICES,
            coerce=int,
            empty_value=None,
            required=False,
            widget=forms.RadioSelect(attrs={"class": "rating-choice"}),
            help_text="0 is not settled at all, 10 is completely settled.",
            error_messages={"invalid_choice": "Choose a number from 0 to 10."},
            **kwargs,
        )


class BeforeCheckInForm(forms.Form):
    rating = RatingField(label="How settled do you feel right now?")
    emotion = forms.CharField(
        label="One word for how you feel (optional)",
        max_length=40,
        required=False,
        help_text="Such as calm, tense or tired. Naming a feeling can soften it.",
    )


class GroundingAnswersForm(forms.Form):
    """What a person noticed with one sense: one optional box per thing."""

    def __init__(self, step: GuideStep, *args, **kwargs):
        # Ids differ from sense to sense, so htmx does not carry focus from the
        # second box of one sense to the second box of the next.
        kwargs.setdefault("auto_id", f"id_{step.key}_%s")
        super().__init__(*args, **kwargs)
        self.count = count = step.count or 0
        for n in range(1, count + 1):
            self.fields[f"answer_{n}"] = forms.CharField(
                label=f"{n} of {count}", max_length=200, required=False
            )

    def answers(self) -> list[str]:
        return [
            self.cleaned_data[f"answer_{n}"]
            for n in range(1, self.count + 1)
            if self.cleaned_data[f"answer_{n}"]
        ]


SIFT = [
    ("sensations", "Sensations", "What did you notice in your body?"),
    ("images", "Images", "Any pictures or memories that came to mind?"),
    ("feelings", "Feelings", "What emotions were there, even faint ones?"),
    ("thoughts", "Thoughts", "What were you thinking about?"),
]


class AfterCheckInForm(forms.Form):
    rating = RatingField(label="How settled do you feel now?")
    notes = forms.CharField(
        label="A note for yourself (optional)",
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, practice: Practice, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.with_sift = practice.guide == Practice.Guide.WHEEL
        if self.with_sift:
            self.fields["notes"].label = "Anything else (optional)"
            for name, label, help_text in SIFT:
                self.fields[name] = forms.CharField(
                    label=label,
                    help_text=help_text,
                    max_length=2000,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
            self.order_fields(["rating", *(name for name, _, _ in SIFT), "notes"])

    def clean(self):
        data = super().clean() or {}
        # The answers are kept as one note, within the note's limit.
        if self.with_sift and not self.errors and len(self.notes_text()) > NOTE_MAX_LENGTH:
            self.add_error(
                "notes",
                forms.ValidationError(
                    "Together these notes are longer than we can keep (%(limit)s characters). "
                    "Please shorten one of them.",
                    params={"limit": f"{NOTE_MAX_LENGTH:,}"},
                ),
            )
        return data

    def sift_fields(self):
        return [self[name] for name, _, _ in SIFT] if self.with_sift else []

    def notes_text(self) -> str:
        """The note to keep: SIFT answers under their names, then anything else."""
        parts = []
        if self.with_sift:
            for name, label, _ in SIFT:
                if self.cleaned_data[name]:
                    parts.append(f"{label}: {self.cleaned_data[name]}")
        if self.cleaned_data["notes"]:
            parts.append(self.cleaned_data["notes"])
        return "\n\n".join(parts)


class NoteForm(forms.ModelForm):
    class Meta:
        model = PracticeSession
        fields = ["notes"]
        labels = {"notes": "Your note"}
        # Swapped in by htmx in place of the note: the cursor goes straight here.
        widgets = {"notes": forms.Textarea(attrs={"rows": 4, "data-swap-focus": ""})}

    def save(self, commit: bool = True) -> PracticeSession:
        # Only the note: the rest of the session moves by its own steps.
        session = super().save(commit=False)
        session.save(update_fields=["notes"])
        return session


# Practice done on the device, sent afterwards ------------------------------------


@cache
def known_time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


class DeviceSessionForm(forms.Form):
    """A session the on-this-device page ran by itself, as it sends it (perhaps
    days later, from its offline queue). The rules live on the model
    (PracticeSession.objects.record_from_device); this only reads the values."""

    # Required, unlike the start forms': a fresh id would turn a replay into a copy.
    request_id = forms.UUIDField()
    parameters = forms.JSONField()
    started_at = forms.DateTimeField()
    ended_at = forms.DateTimeField()
    time_zone = forms.CharField(max_length=64)
    seconds_practised = forms.IntegerField(min_value=0)
    reached_the_end = forms.BooleanField(required=False)
    before_rating = RatingField()
    before_emotion = forms.CharField(max_length=40, required=False)
    after_rating = RatingField()

    def clean_time_zone(self) -> ZoneInfo:
        name = self.cleaned_data["time_zone"]
        if name not in known_time_zones():
            raise forms.ValidationError("We don't know this time zone.")
        return ZoneInfo(name)

    def clean_parameters(self) -> dict:
        parameters = self.cleaned_data["parameters"]
        if not isinstance(parameters, dict):
            raise forms.ValidationError("This should be a set of values.")
        return parameters

    def errors_in_words(self) -> dict[str, list[str]]:
        return {
            name: [str(message) for message in messages] for name, messages in self.errors.items()
        }


# Practice done elsewhere --------------------------------------------------------


class ManualLogForm(OnceOnlyForm):
    practice = forms.ModelChoiceField(
        label="Practice",
        queryset=Practice.objects.all(),
        to_field_name="slug",
        empty_label="Choose a practice",
        error_messages={"required": "Choose which practice you did."},
    )
    date = forms.DateField(
        label="Day",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Enter the day you practised.",
            "invalid": "Enter a date, such as 2026-03-01.",
        },
    )
    minutes = forms.IntegerField(
        label="Minutes",
        min_value=1,
        max_value=MAX_MINUTES,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many minutes you practised.",
            "invalid": "Enter a whole number of minutes, such as 15.",
            "min_value": "Enter at least 1 minute.",
            "max_value": f"Enter at most {MAX_MINUTES} minutes (4 hours).",
        },
    )
    notes = forms.CharField(
        label="Note (optional)",
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        today = user.local_today()
        self.fields["date"].widget.attrs["max"] = today.isoformat()
        if not self.is_bound:
            self.initial.setdefault("date", today)

    def clean_date(self):
        day = self.cleaned_data["date"]
        check_not_after_today(self.user, day)
        return day


class HistoryFilterForm(forms.Form):
    practice = forms.ModelChoiceField(
        label="Practice",
        queryset=Practice.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="All practices",
    )
