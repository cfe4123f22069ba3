import re
from datetime import date

from django import forms

from journal.models import (
    BODY_MAX_LENGTH,
    DISINTEGRATION_SIGNS,
    FACES_QUALITIES,
    INTEGRATION_SIGNS,
    NOTE_MAX_LENGTH,
    BodyLocation,
    EmotionWord,
    Quadrant,
    RepairStatus,
    Tag,
    river_reading,
)
from journal.prompts import PROMPTS_BY_KEY

MAX_TAGS = 12
TAG_MAX_LENGTH = 40


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class RangeInput(forms.NumberInput):
    input_type = "range"


def one_to_five_choices(low: str, high: str) -> list[tuple[int, str]]:
    return [(1, f"1 ({low})"), (2, "2"), (3, "3"), (4, "4"), (5, f"5 ({high})")]


def normalise_text(value: str) -> str:
    # Browsers send \r\n; keep plain line breaks so the text reads the same everywhere.
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def not_after_today(value: date | None, user, message: str) -> date | None:
    if value is not None and value > user.local_today():
        raise forms.ValidationError(message)
    return value


class VocabularyMixin:
    """Words for the feelings picker, grouped by quadrant, loaded once per form."""

    def load_vocabulary(self) -> None:
        self.vocabulary = list(EmotionWord.objects.all())
        self.vocabulary_by_word = {emotion.word: emotion for emotion in self.vocabulary}

    def picker_groups(self, field_name: str, chosen: list[str]):
        chosen_set = set(chosen)
        groups = []
        for quadrant in Quadrant:
            words = [
                (emotion, emotion.word in chosen_set)
                for emotion in self.vocabulary
                if emotion.quadrant == quadrant.value
            ]
            groups.append({"key": quadrant.value, "label": quadrant.label, "words": words})
        return groups

    def clean_words(self, field_name: str) -> list[EmotionWord]:
        words = self.data.getlist(field_name) if hasattr(self.data, "getlist") else []
        unknown = [word for word in words if word not in self.vocabulary_by_word]
        if unknown:
            raise forms.ValidationError(
                "We don't know the word “%(word)s”. Please choose feelings from the list.",
                params={"word": unknown[0]},
            )
        return [self.vocabulary_by_word[word] for word in dict.fromkeys(words)]


class DraftForm(forms.Form):
    """What autosave keeps: the words, the day, the prompt and the tags."""

    local_date = forms.DateField(
        label="Day",
        widget=DateInput(),
        help_text="Your own calendar day. It starts as today where you are.",
        error_messages={
            "required": "Choose the day this entry is about.",
            "invalid": "Enter a date, for example 2026-03-14.",
        },
    )
    body = forms.CharField(
        label="What's on your mind?",
        required=False,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={
            "max_length": "This entry is very long. Please keep it under 50,000 characters, "
            "or carry on in a new entry."
        },
    )
    tags = forms.CharField(
        label="Tags (optional)",
        required=False,
        help_text="Separate tags with commas, for example: work, family.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    prompt_key = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_local_date(self):
        return not_after_today(
            self.cleaned_data["local_date"],
            self.user,
            "That day hasn't come yet where you are. Choose today or an earlier day.",
        )

    def clean_body(self):
        return normalise_text(self.cleaned_data["body"])

    def clean_tags(self) -> list[str]:
        names = []
        for raw in self.cleaned_data["tags"].split(","):
            name = re.sub(r"\s+", " ", raw.strip().lstrip("#")).lower()
            if not name:
                continue
            if len(name) > TAG_MAX_LENGTH:
                raise forms.ValidationError(
                    "Please keep each tag under %(limit)d characters.",
                    params={"limit": TAG_MAX_LENGTH},
                )
            if name not in names:
                names.append(name)
        if len(names) > MAX_TAGS:
            raise forms.ValidationError(
                "Please use at most %(limit)d tags.", params={"limit": MAX_TAGS}
            )
        return names

    def clean_prompt_key(self) -> str:
        # A hidden field: an unknown key (an old page, say) just means no prompt.
        key = self.cleaned_data["prompt_key"]
        return key if key in PROMPTS_BY_KEY else ""

    def apply_to(self, entry) -> None:
        """Copy the cleaned values onto `entry` (not saved)."""
        data = self.cleaned_data
        entry.local_date = data["local_date"]
        entry.body = data["body"]
        if data["prompt_key"] != entry.prompt_key:
            prompt = PROMPTS_BY_KEY.get(data["prompt_key"])
            entry.prompt_key = prompt.key if prompt else ""
            entry.prompt_text = prompt.text if prompt else ""


INTENSITY_CHOICES = one_to_five_choices("barely there", "very strong")
BODY_CHOICES = [("", "Not sure, or nowhere in particular"), *BodyLocation.choices]


class EntryForm(VocabularyMixin, DraftForm):
    """A whole entry: the draft fields plus the feelings named, each with a strength."""

    emotions = forms.Field(required=False, label="Feelings")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.load_vocabulary()
        if self.is_bound:
            raw = self.data.getlist("emotions") if hasattr(self.data, "getlist") else []
        else:
            raw = self.initial.get("emotions", [])
        self.chosen_words = [word for word in dict.fromkeys(raw) if word in self.vocabulary_by_word]
        for word in self.chosen_words:
            self.fields[f"intensity-{word}"] = forms.TypedChoiceField(
                label=f"How strong is “{word}”?",
                choices=INTENSITY_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Choose how strong “{word}” feels, from 1 to 5.",
                    "invalid_choice": f"Choose how strong “{word}” feels, from 1 to 5.",
                },
            )
            self.fields[f"body-{word}"] = forms.ChoiceField(
                label=f"Where in your body do you feel “{word}”? (optional)",
                choices=BODY_CHOICES,
                required=False,
                error_messages={
                    "invalid_choice": "Choose a place from the list, or leave it as “Not sure”."
                },
            )

    def clean_emotions(self) -> list[EmotionWord]:
        return self.clean_words("emotions")

    def clean(self):
        data = super().clean()
        if not data.get("body") and not data.get("emotions") and "body" not in self.errors:
            self.add_error(
                "body", "Write a few words or name a feeling, so there is something to keep."
            )
        return data

    @property
    def emotion_picker(self):
        return self.picker_groups("emotions", self.chosen_words)

    @property
    def feeling_rows(self):
        return [
            {
                "emotion": self.vocabulary_by_word[word],
                "intensity": self[f"intensity-{word}"],
                "body": self[f"body-{word}"],
            }
            for word in self.chosen_words
        ]

    def feelings(self) -> list[tuple[EmotionWord, int, str]]:
        return [
            (
                emotion,
                self.cleaned_data[f"intensity-{emotion.word}"],
                self.cleaned_data[f"body-{emotion.word}"],
            )
            for emotion in self.cleaned_data["emotions"]
        ]

    @staticmethod
    def initial_for(entry) -> dict:
        initial = {
            "local_date": entry.local_date,
            "body": entry.body,
            "tags": ", ".join(entry.tag_names),
            "prompt_key": entry.prompt_key,
            "emotions": [named.emotion.word for named in entry.named_emotions.all()],
        }
        for named in entry.named_emotions.all():
            initial[f"intensity-{named.emotion.word}"] = named.intensity
            initial[f"body-{named.emotion.word}"] = named.body_location
        return initial

    @staticmethod
    def initial_from_post(post) -> dict:
        """The feelings part of a posted form, to redraw it without judging it yet."""
        initial = {"emotions": post.getlist("emotions")}
        for name, value in post.items():
            if name.startswith(("intensity-", "body-")):
                initial[name] = value
        return initial


class RerateForm(forms.Form):
    intensity_after = forms.TypedChoiceField(
        label="And now, after naming it?",
        choices=INTENSITY_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how strong it feels now, from 1 to 5.",
            "invalid_choice": "Choose how strong it feels now, from 1 to 5.",
        },
    )


class FacesForm(forms.Form):
    note = forms.CharField(
        label="A note for yourself (optional)",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        qualities = {}
        for field, label, low, high in FACES_QUALITIES:
            message = f"Choose a number from 1 to 5 for how {label.lower()} you feel."
            qualities[field] = forms.TypedChoiceField(
                label=label,
                choices=one_to_five_choices(low, high),
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": message, "invalid_choice": message},
            )
        # The five qualities first, in FACES order, then the note.
        self.fields = {**qualities, "note": self.fields["note"]}

    def clean_note(self):
        return normalise_text(self.cleaned_data["note"])

    @property
    def scores(self) -> dict[str, int]:
        return {field: self.cleaned_data[field] for field, *_ in FACES_QUALITIES}


class CheckInForm(forms.Form):
    integration_signs = forms.MultipleChoiceField(
        label="Signs of flow you noticed",
        choices=INTEGRATION_SIGNS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    disintegration_signs = forms.MultipleChoiceField(
        label="Signs of being pulled toward a bank",
        choices=DISINTEGRATION_SIGNS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    chaos = forms.IntegerField(
        label="Chaos",
        min_value=0,
        max_value=10,
        initial=5,
        help_text="How scattered or overwhelmed things feel: 0 is calm and clear, "
        "10 is very chaotic.",
        widget=RangeInput(attrs={"step": 1}),
        error_messages={
            "required": "Choose a number from 0 to 10 for chaos.",
            "invalid": "Choose a number from 0 to 10 for chaos.",
            "min_value": "Choose a number from 0 to 10 for chaos.",
            "max_value": "Choose a number from 0 to 10 for chaos.",
        },
    )
    rigidity = forms.IntegerField(
        label="Rigidity",
        min_value=0,
        max_value=10,
        initial=5,
        help_text="How stuck or fixed things feel: 0 is loose and open, 10 is very rigid.",
        widget=RangeInput(attrs={"step": 1}),
        error_messages={
            "required": "Choose a number from 0 to 10 for rigidity.",
            "invalid": "Choose a number from 0 to 10 for rigidity.",
            "min_value": "Choose a number from 0 to 10 for rigidity.",
            "max_value": "Choose a number from 0 to 10 for rigidity.",
        },
    )
    note = forms.CharField(
        label="Anything you'd like to remember (optional)",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_note(self):
        return normalise_text(self.cleaned_data["note"])

    @property
    def slider_fields(self):
        return [self["chaos"], self["rigidity"]]

    @property
    def river_preview(self) -> dict:
        """The river as the sliders stand now, so the picture matches without script."""
        values = []
        for name in ("chaos", "rigidity"):
            try:
                values.append(min(max(int(self[name].value()), 0), 10))
            except (TypeError, ValueError):
                values.append(5)
        return river_reading(*values)


class RuptureForm(VocabularyMixin, forms.Form):
    relationship = forms.CharField(
        label="Who was it with?",
        max_length=60,
        help_text="A word or two is enough, such as partner, my son, or a colleague.",
        error_messages={"required": "Add a word for who this was with, such as “partner”."},
    )
    ruptured_on = forms.DateField(
        label="When did it happen?",
        widget=DateInput(),
        error_messages={"required": "Choose the day it happened."},
    )
    what_happened = forms.CharField(
        label="What happened?",
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "A sentence or two about what happened is enough."},
    )
    felt = forms.Field(required=False, label="What I felt")
    my_part = forms.CharField(
        label="My part, as I see it now (optional)",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        help_text="Not blame: just what was yours to own, which is also what you can change.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    repair_status = forms.ChoiceField(
        label="Have you tried to repair?",
        choices=RepairStatus.choices,
        initial=RepairStatus.NOT_YET,
        widget=forms.RadioSelect,
    )
    repaired_on = forms.DateField(
        label="When did you reconnect? (once you have)",
        required=False,
        widget=DateInput(),
    )
    how_it_went = forms.CharField(
        label="How did it go? (optional)",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.load_vocabulary()
        if self.is_bound:
            self.chosen_words = self.data.getlist("felt") if hasattr(self.data, "getlist") else []
        else:
            self.chosen_words = self.initial.get("felt", [])

    @property
    def emotion_picker(self):
        return self.picker_groups("felt", self.chosen_words)

    @property
    def before_feelings(self):
        return [self[name] for name in ("relationship", "ruptured_on", "what_happened")]

    @property
    def after_feelings(self):
        return [self[name] for name in ("my_part", "repair_status", "repaired_on", "how_it_went")]

    def clean_felt(self):
        return self.clean_words("felt")

    def clean_what_happened(self):
        return normalise_text(self.cleaned_data["what_happened"])

    def clean_my_part(self):
        return normalise_text(self.cleaned_data["my_part"])

    def clean_how_it_went(self):
        return normalise_text(self.cleaned_data["how_it_went"])

    def clean_ruptured_on(self):
        return not_after_today(
            self.cleaned_data["ruptured_on"],
            self.user,
            "That day hasn't come yet where you are. Choose today or an earlier day.",
        )

    def clean_repaired_on(self):
        return not_after_today(
            self.cleaned_data["repaired_on"],
            self.user,
            "That day hasn't come yet where you are. If a repair is planned, choose "
            "“Planned” and add the day once it has happened.",
        )

    def clean(self):
        data = super().clean()
        status, repaired_on = data.get("repair_status"), data.get("repaired_on")
        ruptured_on = data.get("ruptured_on")
        if "repaired_on" in self.errors:
            return data
        if status == RepairStatus.REPAIRED and repaired_on is None:
            self.add_error(
                "repaired_on", "Add the day you reconnected, so you can see how long repair took."
            )
        elif status and status != RepairStatus.REPAIRED and repaired_on is not None:
            self.add_error(
                "repaired_on",
                "Leave this empty until you have reconnected, or choose “Yes” above.",
            )
        elif repaired_on and ruptured_on and repaired_on < ruptured_on:
            self.add_error("repaired_on", "The repair can't come before the day it happened.")
        return data

    def apply_to(self, rupture) -> None:
        for name in (
            "relationship",
            "ruptured_on",
            "what_happened",
            "my_part",
            "repair_status",
            "repaired_on",
            "how_it_went",
        ):
            setattr(rupture, name, self.cleaned_data[name])

    @staticmethod
    def initial_for(rupture) -> dict:
        return {
            "relationship": rupture.relationship,
            "ruptured_on": rupture.ruptured_on,
            "what_happened": rupture.what_happened,
            "felt": [emotion.word for emotion in rupture.felt.all()],
            "my_part": rupture.my_part,
            "repair_status": rupture.repair_status,
            "repaired_on": rupture.repaired_on,
            "how_it_went": rupture.how_it_went,
        }


SEARCH_KINDS = [
    ("", "Everything"),
    ("entry", "Journal entries"),
    ("faces", "FACES ratings"),
    ("checkin", "Integration check-ins"),
    ("rupture", "Ruptures and repairs"),
]


class SearchForm(forms.Form):
    q = forms.CharField(label="Words to find", required=False, max_length=200)
    kind = forms.ChoiceField(label="Show", choices=SEARCH_KINDS, required=False)
    emotion = forms.ChoiceField(label="Feeling", required=False)
    quadrant = forms.ChoiceField(
        label="Kind of feeling", choices=[("", "Any"), *Quadrant.choices], required=False
    )
    tag = forms.ChoiceField(label="Tag", required=False)
    date_from = forms.DateField(label="From", required=False, widget=DateInput())
    date_to = forms.DateField(label="To", required=False, widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        words = EmotionWord.objects.values_list("word", flat=True).order_by("word")
        self.fields["emotion"].choices = [("", "Any"), *((word, word) for word in words)]
        tags = (
            Tag.objects.for_user(user)
            .filter(entries__deleted_at__isnull=True)
            .values_list("name", flat=True)
            .distinct()
            .order_by("name")
        )
        self.fields["tag"].choices = [("", "Any"), *((name, name) for name in tags)]

    @property
    def filter_fields(self):
        return [
            self[name] for name in ("kind", "emotion", "quadrant", "tag", "date_from", "date_to")
        ]

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date. Swap them around?")
        return data
