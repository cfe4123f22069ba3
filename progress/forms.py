from datetime import date, timedelta

from django import forms

from accounts.models import User

# The rest days page offers today and the next two weeks.
REST_DAYS_SHOWN = 14


class FirstNameForm(forms.ModelForm):
    """The name Today greets a person by. The model's own rules (its length) apply."""

    class Meta:
        model = User
        fields = ["display_name"]
        labels = {"display_name": "What should we call you?"}
        help_texts = {"display_name": "Your first name, or any name you like. Only you see it."}
        error_messages = {
            "display_name": {
                "required": "Write a name, or leave this for now: it's optional.",
                "max_length": "Keep it to %(limit_value)d characters, please.",
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Saving an empty name here would change nothing; say so instead.
        self.fields["display_name"].required = True
        self.fields["display_name"].widget.attrs.update({"autocomplete": "given-name"})


class RestDayForm(forms.Form):
    """Plan a rest day or take one back: today or a day to come, on the person's calendar."""

    day = forms.DateField(error_messages={"invalid": "That isn't a date we can read."})
    rest = forms.BooleanField(required=False)

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_day(self) -> date:
        day = self.cleaned_data["day"]
        if not self.today <= day < self.today + timedelta(days=REST_DAYS_SHOWN):
            raise forms.ValidationError(
                "Choose today or a day in the next two weeks.", code="out_of_range"
            )
        return day
