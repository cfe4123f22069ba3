import time

from django import forms
from django.core import signing
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from mfa.models import Passkey, TwoStep

SETUP_SALT = "mfa.authenticator-setup"
SETUP_SECONDS = 60 * 60
WRONG_CODE = "That code didn't work. Check your app shows this account, and try the newest code."


def code_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )


class SecondStepForm(forms.Form):
    code = code_field("Code from your app, or a recovery code")

    def __init__(self, two_step: TwoStep, *args, **kwargs):
        self.two_step = two_step
        self.method: str | None = None
        super().__init__(*args, **kwargs)

    def clean_code(self):
        code = self.cleaned_data["code"]
        self.method = self.two_step.verify_code(code)
        if self.method is None:
            raise forms.ValidationError(WRONG_CODE, code="wrong_code")
        return code


class ConfirmForm(forms.Form):
    """Confirm it's you: your password, or a code from your app."""

    password = forms.CharField(
        label="Your password",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, two_step: TwoStep, *args, **kwargs):
        self.two_step = two_step
        self.method: str | None = None
        super().__init__(*args, **kwargs)
        if two_step.authenticator is not None:
            self.fields["code"] = code_field("Or a code from your app")
            self.fields["code"].required = False

    def clean(self):
        password = self.cleaned_data.get("password")
        code = self.cleaned_data.get("code")
        if password:
            if self.two_step.user.check_password(password):
                self.method = "password"
            else:
                raise forms.ValidationError("That password is not right.", code="wrong_password")
        elif code:
            self.method = self.two_step.verify_code(code)
            if self.method is None:
                raise forms.ValidationError(WRONG_CODE, code="wrong_code")
        else:
            raise forms.ValidationError("Type your password to carry on.", code="required")
        return self.cleaned_data


class AuthenticatorSetupForm(forms.Form):
    """Scan the QR code (or type the key), then type the app's code to confirm.

    The new key travels in the page, signed, so showing the page writes nothing."""

    setup_key = forms.CharField(widget=forms.HiddenInput)
    code = code_field("The 6-digit code your app shows")

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["setup_key"] = signing.dumps(
                {"user": user.pk, "key": default_key()}, salt=SETUP_SALT
            )

    @property
    def key(self) -> str:
        """The key this form is setting up (hex), from its signed field."""
        signed = self.data.get("setup_key") if self.is_bound else self.initial["setup_key"]
        try:
            kept = signing.loads(str(signed or ""), salt=SETUP_SALT, max_age=SETUP_SECONDS)
        except signing.BadSignature as error:
            raise forms.ValidationError(
                "This page was open a while. Please scan the new code below.", code="stale"
            ) from error
        if not isinstance(kept, dict) or kept.get("user") != self.user.pk:
            raise forms.ValidationError("Please scan the code below.", code="stale")
        return kept["key"]

    def device(self) -> TOTPDevice:
        """An unsaved device with this form's key: what the app is being set up for."""
        return TOTPDevice(user=self.user, key=self.key, name="Authenticator app")

    def clean(self):
        cleaned = super().clean() or {}
        code = "".join((cleaned.get("code") or "").split())
        if not code:
            return cleaned
        device = self.device()
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        if not (code.isdigit() and totp.verify(int(code), device.tolerance)):
            self.add_error("code", WRONG_CODE)
        else:
            # The code just used is spent: it won't sign in a second time.
            cleaned["last_t"] = totp.t()
        return cleaned


class PasskeyAddForm(forms.ModelForm):
    credential = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Passkey
        fields = ["name"]
        labels = {"name": "Name this passkey"}


class PasskeyAnswerForm(forms.Form):
    """What static/js/passkeys.js puts in the form: the browser's answer, as JSON."""

    credential = forms.CharField(widget=forms.HiddenInput, max_length=64 * 1024)
