from django import forms

from accounts.models import User


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
