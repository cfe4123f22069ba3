"""Forms for the journal's pages.

Longer than 400 lines because the journal has six kinds of writing (entries and
drafts, named feelings, FACES, check-ins, repair reflections, search); each form
is short and they share the feelings picker, so one module keeps them side by side.
"""

import re
from typing import Any, cast

from django import forms
from django.db import transaction

from ipnb_site.forms import LongSelect
from journal.models import (
    DISINTEGRATION_SIGNS,
    FACES_FIELDS,
    FACES_QUALITIES,
    INTEGRATION_SIGNS,
    SUGGESTED_SIGNS,
    TAG_MAX_LENGTH,
    BodyLocation,
    EmotionWord,
    FacesRating,
    IntegrationCheckIn,
    JournalEntry,
    NamedEmotion,
    Quadrant,
    Rupture,
    Tag,
    WindowCheckIn,
    WindowMap,
    WindowState,
    river_reading,
)
from journal.prompts import PROMPTS_BY_KEY

MAX_TAGS = 12


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class RangeInput(forms.NumberInput):
    input_type = "range"

    def use_required_attribute(self, initial) -> bool:
        # A slider always has a value; HTML does not allow `required` on one.
        return False


def one_to_five_choices(low: str, high: str) -> list[tuple[int, str]]:
    return [(1, f"1 ({low})"), (2, "2"), (3, "3"), (4, "4"), (5, f"5 ({high})")]


def normalise_text(value: str) -> str:
    # Browsers send \r\n; keep plain line breaks so the text reads the same everywhere.
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


# How strong a feeling is, said in words beside the chosen word. "Some", the
# middle, is chosen until the person picks another, so naming alone can be saved.
STRENGTHS = [(1, "barely"), (2, "a little"), (3, "some"), (4, "a lot"), (5, "very")]
DEFAULT_STRENGTH = 3

# What each quadrant feels like, in everyday words, for its tile in the picker.
QUADRANT_PLAIN_WORDS = {
    Quadrant.HIGH_UNPLEASANT.value: "Tense, upset",
    Quadrant.HIGH_PLEASANT.value: "Bright, excited",
    Quadrant.LOW_UNPLEASANT.value: "Low, heavy",
    Quadrant.LOW_PLEASANT.value: "Calm, at ease",
}


class VocabularyMixin:
    """Words for the feelings picker, from the process's copy (EmotionWord.vocabulary)."""

    data: Any  # the form's submitted data, from the form this mixes into

    def load_vocabulary(self) -> None:
        self.vocabulary_by_word = EmotionWord.by_word()

    def picker_groups(self, field_name: str, chosen: list[str], strengths=None):
        """The four quadrants, each with its words: (emotion, chosen?, strength)."""
        chosen_set = set(chosen)
        strengths = strengths or {}
        groups = []
        for quadrant in Quadrant:
            words = [
                (emotion, emotion.word in chosen_set, strengths.get(emotion.word, DEFAULT_STRENGTH))
                for emotion in EmotionWord.in_quadrant(quadrant.value)
            ]
            groups.append(
                {
                    "key": quadrant.value,
                    "label": quadrant.label,
                    "plain": QUADRANT_PLAIN_WORDS[quadrant.value],
                    "words": words,
                }
            )
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


class DraftForm(forms.ModelForm):
    """What autosave keeps: the words, the day, the prompt and the tags."""

    tags = forms.CharField(
        label="Tags (optional)",
        required=False,
        help_text="Separate tags with commas, for example: work, family.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    # Not the model's field: the prompt's wording goes with its key (see _post_clean).
    prompt_key = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = JournalEntry
        fields = ["local_date", "body"]
        labels = {"local_date": "Day", "body": "What's on your mind?"}
        help_texts = {"local_date": "Your own calendar day. It starts as today where you are."}
        widgets = {"local_date": DateInput(), "body": forms.Textarea(attrs={"rows": 12})}
        error_messages = {
            "local_date": {
                "required": "Choose the day this entry is about.",
                "invalid": "Enter a date, for example 2026-03-14.",
            },
            "body": {
                "max_length": "This entry is very long. Please keep it under 50,000 characters, "
                "or carry on in a new entry."
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk is not None:
            self.initial.setdefault("prompt_key", self.instance.prompt_key)
            self.initial.setdefault("tags", ", ".join(self.instance.tag_names))

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
        if self.instance.is_look_back:
            return self.instance.prompt_key  # stays the fortnight's look back when edited
        return key if key in PROMPTS_BY_KEY else ""

    def _post_clean(self):
        super()._post_clean()  # type: ignore[misc]  # the ModelForm's, after this mixin
        if "prompt_key" in self.cleaned_data and not self.instance.is_look_back:
            self.instance.choose_prompt(PROMPTS_BY_KEY.get(self.cleaned_data["prompt_key"]))

    def save(self, commit: bool = True) -> JournalEntry:
        """Keep the draft and its tags together, surviving a race with another autosave."""
        entry = super().save(commit=False)
        with transaction.atomic():
            entry.save_draft()
            entry.set_tags(self.cleaned_data["tags"])
        return entry


INTENSITY_CHOICES = one_to_five_choices("barely there", "very strong")
BODY_CHOICES = [("", "Not sure, or nowhere in particular"), *BodyLocation.choices]


class EntryForm(VocabularyMixin, DraftForm):
    """A whole entry: the draft fields plus the feelings named, each with a strength."""

    emotions = forms.Field(required=False, label="Feelings")
    strength_choices = STRENGTHS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.load_vocabulary()
        if self.is_bound:
            raw = self.data.getlist("emotions") if hasattr(self.data, "getlist") else []
        else:
            if self.instance.pk is not None:
                self._initial_feelings()
            raw = self.initial.get("emotions", [])
        self.chosen_words = [word for word in dict.fromkeys(raw) if word in self.vocabulary_by_word]
        for word in self.chosen_words:
            self.fields[f"intensity-{word}"] = forms.TypedChoiceField(
                label=f"How strong is “{word}”?",
                choices=INTENSITY_CHOICES,
                coerce=int,
                # Not chosen (as without the picker's default): "some".
                required=False,
                empty_value=DEFAULT_STRENGTH,  # type: ignore[arg-type]  # any value works
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

    def _initial_feelings(self) -> None:
        named_emotions = self.instance.named_emotions.all()
        self.initial.setdefault("emotions", [named.emotion.word for named in named_emotions])
        for named in named_emotions:
            self.initial.setdefault(f"intensity-{named.emotion.word}", named.intensity)
            self.initial.setdefault(f"body-{named.emotion.word}", named.body_location)

    def clean_emotions(self) -> list[EmotionWord]:
        return self.clean_words("emotions")

    def clean(self):
        data = super().clean() or {}
        if not data.get("body") and not data.get("emotions") and "body" not in self.errors:
            self.add_error(
                "body", "Write a few words or name a feeling, so there is something to keep."
            )
        return data

    @property
    def emotion_picker(self):
        strengths = {}
        for word in self.chosen_words:
            value = self[f"intensity-{word}"].value()
            if str(value) in {str(number) for number, _ in STRENGTHS}:
                strengths[word] = int(value)
        return self.picker_groups("emotions", self.chosen_words, strengths)

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

    def save(self, commit: bool = True) -> JournalEntry:
        """Save the entry as written (no longer a draft), with its feelings and tags."""
        entry = super(DraftForm, self).save(commit=False)
        entry.is_draft = False
        entry.save_with(feelings=self.feelings(), tag_names=self.cleaned_data["tags"])
        return entry

    @staticmethod
    def initial_from_post(post) -> dict:
        """The feelings part of a posted form, to redraw it without judging it yet."""
        initial = {"emotions": post.getlist("emotions")}
        for name, value in post.items():
            if name.startswith(("intensity-", "body-")):
                initial[name] = value
        return initial


class QuickFeelingForm(forms.Form):
    """Today's "how are you?": one word, its strength ("some" unless chosen)."""

    STRENGTH_MESSAGE = "Choose how strong it is: barely, a little, some, a lot or very."

    word = forms.CharField(
        max_length=40, error_messages={"required": "Tap the word that fits best."}
    )
    intensity = forms.TypedChoiceField(
        choices=STRENGTHS,
        coerce=int,
        required=False,
        empty_value=DEFAULT_STRENGTH,  # type: ignore[arg-type]  # any value works
        error_messages={"invalid_choice": STRENGTH_MESSAGE},
    )

    def clean_word(self) -> EmotionWord:
        word = self.cleaned_data["word"]
        emotion = EmotionWord.named(word)
        if emotion is None:
            raise forms.ValidationError(
                "We don't know the word “%(word)s”. Please choose one from the list.",
                params={"word": word},
            )
        return emotion


class RerateForm(forms.ModelForm):
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

    class Meta:
        model = NamedEmotion
        fields = ["intensity_after"]

    def save(self, commit: bool = True) -> NamedEmotion:
        named = super().save(commit=False)
        named.save(update_fields=["intensity_after"])
        return named


class SegmentedScale(forms.RadioSelect):
    """A 1-5 choice shown as one row of segments, the two ends named beneath it.

    The radios stay radios (arrow keys move between them); each segment shows its
    number, and a screen reader hears the whole choice ("1 (drained)")."""

    template_name = "includes/segmented_scale.html"

    def __init__(self, low: str, high: str, attrs=None):
        self.low, self.high = low, high
        super().__init__(attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(low=self.low, high=self.high)
        return context


class FacesForm(forms.ModelForm):
    class Meta:
        model = FacesRating
        fields = [*FACES_FIELDS, "note"]
        labels = {"note": "A note for yourself (optional)"}
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field, label, low, high in FACES_QUALITIES:
            message = f"Choose a number from 1 to 5 for how {label.lower()} you feel."
            self.fields[field] = forms.TypedChoiceField(
                label=label,
                choices=one_to_five_choices(low, high),
                coerce=int,
                widget=SegmentedScale(low, high),
                error_messages={"required": message, "invalid_choice": message},
            )

    def clean_note(self):
        return normalise_text(self.cleaned_data["note"])

    @property
    def scores(self) -> dict[str, int]:
        return {field: self.cleaned_data[field] for field, *_ in FACES_QUALITIES}

    def save(self, commit: bool = True) -> FacesRating:
        """Rate the day; rating again replaces it, even when two saves cross."""
        rating = self.instance
        return FacesRating.objects.rate(
            rating.user, rating.local_date, self.scores, note=self.cleaned_data["note"]
        )


def _slider(name: str, label: str, help_text: str) -> forms.IntegerField:
    message = f"Choose a number from 0 to 10 for {name}."
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=10,
        initial=5,
        help_text=help_text,
        widget=RangeInput(attrs={"step": 1}),
        error_messages=dict.fromkeys(["required", "invalid", "min_value", "max_value"], message),
    )


class CheckInForm(forms.ModelForm):
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
    chaos = _slider(
        "chaos",
        "Chaos",
        "How scattered or overwhelmed things feel: 0 is calm and clear, 10 is very chaotic.",
    )
    rigidity = _slider(
        "rigidity",
        "Rigidity",
        "How stuck or fixed things feel: 0 is loose and open, 10 is very rigid.",
    )

    class Meta:
        model = IntegrationCheckIn
        fields = ["integration_signs", "disintegration_signs", "chaos", "rigidity", "note"]
        labels = {"note": "Anything you'd like to remember (optional)"}
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A new check-in's sliders start mid-river, not empty.
        for name in ("chaos", "rigidity"):
            if self.initial.get(name) is None:
                self.initial[name] = self.fields[name].initial

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


class RuptureForm(VocabularyMixin, forms.ModelForm):
    """The rules about dates live on Rupture; the form shows their words beside the fields."""

    felt = forms.Field(required=False, label="What I felt")

    class Meta:
        model = Rupture
        fields = [
            "relationship",
            "ruptured_on",
            "what_happened",
            "felt",
            "my_part",
            "repair_status",
            "repaired_on",
            "how_it_went",
        ]
        labels = {
            "relationship": "Who was it with?",
            "ruptured_on": "When did it happen?",
            "what_happened": "What happened?",
            "my_part": "My part, as I see it now (optional)",
            "repair_status": "Have you tried to repair?",
            "repaired_on": "When did you reconnect? (once you have)",
            "how_it_went": "How did it go? (optional)",
        }
        help_texts = {
            "relationship": "A word or two is enough, such as partner, my son, or a colleague.",
            "my_part": "Not blame: just what was yours to own, which is also what you can change.",
        }
        widgets = {
            "relationship": forms.TextInput,
            "ruptured_on": DateInput(),
            "what_happened": forms.Textarea(attrs={"rows": 4}),
            "my_part": forms.Textarea(attrs={"rows": 3}),
            "repair_status": forms.RadioSelect,
            "repaired_on": DateInput(),
            "how_it_went": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "relationship": {"required": "Add a word for who this was with, such as “partner”."},
            "ruptured_on": {"required": "Choose the day it happened."},
            "what_happened": {"required": "A sentence or two about what happened is enough."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.load_vocabulary()
        if self.is_bound:
            self.chosen_words = self.data.getlist("felt") if hasattr(self.data, "getlist") else []
        else:
            self.chosen_words = [
                getattr(emotion, "word", emotion) for emotion in self.initial.get("felt", [])
            ]

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

    def save(self, commit: bool = True) -> Rupture:
        # The reflection and the feelings named in it, together or not at all.
        with transaction.atomic():
            return super().save(commit)


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
    emotion = forms.ChoiceField(label="Feeling", required=False, widget=LongSelect)
    quadrant = forms.ChoiceField(
        label="Kind of feeling", choices=[("", "Any"), *Quadrant.choices], required=False
    )
    tag = forms.ChoiceField(label="Tag", required=False)
    date_from = forms.DateField(label="From", required=False, widget=DateInput())
    date_to = forms.DateField(label="To", required=False, widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["emotion"]).choices = [
            ("", "Any"),
            *((emotion.word, emotion.word) for emotion in EmotionWord.vocabulary()),
        ]
        # Names are sealed: the database gives the tags, Python sorts them by name.
        tags = Tag.objects.for_user(user).filter(entries__deleted_at__isnull=True).distinct()
        cast(forms.ChoiceField, self.fields["tag"]).choices = [
            ("", "Any"),
            *((tag.name, tag.name) for tag in Tag.by_name(tags)),
        ]

    @property
    def filter_fields(self):
        return [
            self[name] for name in ("kind", "emotion", "quadrant", "tag", "date_from", "date_to")
        ]

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())

    def clean(self):
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date. Swap them around?")
        return data


# Window of tolerance ------------------------------------------------------------


class SignsField(forms.CharField):
    """A person's own signs, typed as words separated by commas or new lines.

    Only splits and trims: what a sign may be is the model's rule (validate_signs).
    """

    widget = forms.TextInput

    def to_python(self, value) -> list[str]:  # type: ignore[override]  # a list, not a str
        text = super().to_python(value) or ""
        return [sign.strip() for sign in re.split(r"[,\n]", text) if sign.strip()]

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value


def _suggested(state: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label="A few that people often notice",
        choices=[(sign, sign) for sign in SUGGESTED_SIGNS[WindowState(state)]],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class WindowMapForm(forms.ModelForm):
    """Both sides of the map: suggestions ticked, plus the person's own words."""

    above_suggested = _suggested("above")
    above_signs = SignsField(
        label="Other signs, in your own words",
        required=False,
        max_length=600,
        help_text="Separate with commas.",
    )
    below_suggested = _suggested("below")
    below_signs = SignsField(
        label="Other signs, in your own words",
        required=False,
        max_length=600,
        help_text="Separate with commas.",
    )

    class Meta:
        model = WindowMap
        fields = ["above_signs", "below_signs"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Ticked suggestions show as ticks; the rest are the person's own words.
        for side in ("above", "below"):
            signs = getattr(self.instance, f"{side}_signs") or []
            offered = SUGGESTED_SIGNS[WindowState(side)]
            self.initial[f"{side}_suggested"] = [sign for sign in signs if sign in offered]
            self.initial[f"{side}_signs"] = [sign for sign in signs if sign not in offered]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        for side in ("above", "below"):
            ticked = cleaned.get(f"{side}_suggested") or []
            typed = cleaned.get(f"{side}_signs")
            if typed is None:
                continue
            # A suggestion ticked and typed too is one sign, not two.
            chosen = {sign.casefold() for sign in ticked}
            cleaned[f"{side}_signs"] = ticked + [s for s in typed if s.casefold() not in chosen]
        return cleaned


class WindowCheckInForm(forms.ModelForm):
    class Meta:
        model = WindowCheckIn
        fields = ["state"]


# The fortnightly look back -------------------------------------------------------

LOOK_BACK_ANSWER_MAX = 2000
LOOK_BACK_QUESTIONS = (
    ("helped", "What helped, these two weeks?"),
    ("hard", "What was hard?"),
    ("next", "One small thing to try in the next two weeks?"),
)


class LookBackForm(forms.Form):
    helped = forms.CharField(
        label=LOOK_BACK_QUESTIONS[0][1],
        required=False,
        max_length=LOOK_BACK_ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    hard = forms.CharField(
        label=LOOK_BACK_QUESTIONS[1][1],
        required=False,
        max_length=LOOK_BACK_ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    next = forms.CharField(
        label=LOOK_BACK_QUESTIONS[2][1],
        required=False,
        max_length=LOOK_BACK_ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        for name, _ in LOOK_BACK_QUESTIONS:
            cleaned[name] = normalise_text(cleaned.get(name) or "")
        if not any(cleaned[name] for name, _ in LOOK_BACK_QUESTIONS):
            raise forms.ValidationError("Answer any one of the questions, in a word or two.")
        return cleaned

    def answers(self) -> list[tuple[str, str]]:
        return [(question, self.cleaned_data[name]) for name, question in LOOK_BACK_QUESTIONS]
