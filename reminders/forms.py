from typing import cast

from django import forms

from push.models import PushSubscription, push_is_configured
from reminders.models import MAX_REMINDERS_PER_PERSON, Reminder, ReminderPreferences

DAY_CHOICES = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]


def practice_choices():
    from practices.models import Practice

    return [("", "Suggest a different one each time")] + [
        (practice.slug, practice.name) for practice in Practice.objects.order_by("name")
    ]


class ReminderForm(forms.ModelForm):
    days = forms.TypedMultipleChoiceField(
        choices=DAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        label="On these days",
        error_messages={"required": "Choose at least one day."},
    )
    practice_slug = forms.ChoiceField(
        required=False, label="Practice to suggest (for practice nudges)"
    )

    class Meta:
        model = Reminder
        fields = ["kind", "local_time", "days", "practice_slug", "deliver_by", "enabled"]
        labels = {
            "kind": "What for",
            "local_time": "At (your local time)",
            "deliver_by": "Send it by",
            "enabled": "On",
        }
        widgets = {
            "local_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "deliver_by": forms.RadioSelect,
        }

    def __init__(self, *args, user, **kwargs):
        self.user = user
        # Several of these forms share a page: keep their element ids apart.
        instance = kwargs.get("instance")
        kwargs.setdefault("auto_id", f"r-{instance.public_id}-%s" if instance else "new-%s")
        super().__init__(*args, **kwargs)
        # The model's rules (push needs a device) need to know whose reminder it is.
        self.instance.user = user
        cast(forms.ChoiceField, self.fields["practice_slug"]).choices = practice_choices()
        if not (push_is_configured() and PushSubscription.objects.for_user(user).exists()):
            # No device to push to: the choice isn't offered, and saving goes back to email.
            del self.fields["deliver_by"]
            self.instance.deliver_by = Reminder.DeliverBy.EMAIL
        self.initial["days"] = self.instance.chosen_days
        self.fields["local_time"].error_messages["invalid"] = "Enter a time such as 07:30."

    def clean_days(self) -> int:
        return sum(1 << day for day in self.cleaned_data["days"])

    def clean(self):
        cleaned = super().clean()
        is_new = self.instance._state.adding
        if is_new and Reminder.objects.for_user(self.user).count() >= MAX_REMINDERS_PER_PERSON:
            raise forms.ValidationError(
                f"You can have up to {MAX_REMINDERS_PER_PERSON} reminders. "
                "Remove or change one to add another."
            )
        return cleaned

    def save(self, commit=True):
        reminder = super().save(commit=False)
        reminder.user = self.user
        reminder.reschedule()
        if commit:
            reminder.save()
        return reminder


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = ReminderPreferences
        fields = ["paused_until", "skip_when_done"]
        labels = {"paused_until": "Pause all reminders until (and including)"}
        help_texts = {"paused_until": "Leave empty to keep them running."}
        widgets = {"paused_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, today, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)

    def clean_paused_until(self):
        paused_until = self.cleaned_data["paused_until"]
        if paused_until and paused_until < self.today:
            raise forms.ValidationError("Choose today or a later day, or leave it empty.")
        return paused_until
