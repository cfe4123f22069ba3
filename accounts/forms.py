from datetime import time

from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordMixin
from django.core.validators import MaxLengthValidator
from django.urls import reverse_lazy

from accounts.days import DAY_ENDS, day_end_label
from accounts.models import User
from accounts.timezones import find_timezone


class TimezoneField(forms.CharField):
    """A zone typed by name ("Europe/Berlin", or a city such as "Berlin").

    Pages don't carry every zone: static/js/timezone-guess.js fetches the list
    once, for the browser's own suggestions as a person types. Without
    JavaScript, a near miss is answered with the zones it resembles."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Your time zone")
        kwargs.setdefault(
            "help_text",
            "A region and city, such as Europe/London or America/New_York. Your days, "
            "streaks and reminders follow this zone. Change it when you travel.",
        )
        kwargs.setdefault("max_length", 64)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "off",
                "data-timezone-list": reverse_lazy("accounts:timezones"),
            }
        )

    def clean(self, value):
        # "berlin" or "europe/berlin" means Europe/Berlin; anything else is left
        # to the model's validator, which names the zones it resembles.
        value = super().clean(value)
        return find_timezone(value) or value


class SignUpForm(forms.ModelForm):
    """The first step of signing up: where to send the link, and a name and zone."""

    timezone = TimezoneField(initial="UTC")

    class Meta:
        model = User
        fields = ["email", "display_name", "timezone"]
        labels = {"display_name": "What should we call you? (optional)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update(autocomplete="email", autofocus=True)
        # The browser fills in its own zone (static/js/timezone-guess.js).
        self.fields["timezone"].widget.attrs["data-guess-timezone"] = ""

    def validate_unique(self):
        # Whether the address has an account must not change the answer: that
        # is told only to the address itself, by email (accounts.emails).
        pass


class ChoosePasswordForm(SetPasswordMixin, forms.Form):
    """The last step of signing up, reached from the emailed link."""

    password1, password2 = SetPasswordMixin.create_password_fields()

    def __init__(self, person: User, *args, **kwargs):
        # The account to be, unsaved: the validators compare the password with it.
        self.person = person
        super().__init__(*args, **kwargs)

    def clean(self):
        self.validate_passwords()
        self.validate_password_for_user(self.person)
        return super().clean()


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "That email and password don't match an account. Please try again.",
        "inactive": "This account is not active.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.label = "Email"
        username.widget = forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
        # AuthenticationForm sets max_length after the field is built, so nothing
        # enforces it: an overlong name would reach authenticate() and the
        # login-throttling table. Refuse it here with a field error.
        username.validators.append(MaxLengthValidator(254))


class SettingsForm(forms.ModelForm):
    timezone = TimezoneField()
    day_ends_at = forms.TypedChoiceField(
        label=User._meta.get_field("day_ends_at").verbose_name,
        help_text=User._meta.get_field("day_ends_at").help_text,
        choices=[(end.isoformat(), day_end_label(end)) for end in DAY_ENDS],
        coerce=time.fromisoformat,
        # A page opened before this choice existed sends none: keep the saved one.
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Choose midnight, or a half hour up to 06:00."},
    )

    class Meta:
        model = User
        fields = ["display_name", "timezone", "day_ends_at", "hide_streaks"]
        labels = {"display_name": "Display name"}

    def clean_day_ends_at(self) -> time:
        return self.cleaned_data["day_ends_at"] or self.instance.day_ends_at


class ConfirmPasswordForm(forms.Form):
    """Asks for the current password before something that cannot be undone."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user: User, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That password is not right. Nothing has been deleted.")
        return password
