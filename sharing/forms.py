from datetime import timedelta

from django import forms

from sharing.models import ShareLink


class ShareLinkForm(forms.ModelForm):
    """What a new link shares and for how long; the model holds every rule."""

    class Meta:
        model = ShareLink
        fields = [
            "start",
            "end",
            "shows_practice",
            "shows_faces",
            "shows_river",
            "shows_feelings",
            "shows_repair",
            "shows_journal",
            "lifetime_days",
        ]
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}),
            "end": forms.DateInput(attrs={"type": "date"}),
            "lifetime_days": forms.RadioSelect,
        }

    @classmethod
    def for_today(cls, today) -> "ShareLinkForm":
        """A blank form: the last 30 days, every part but the journal, for a week."""
        return cls(initial={"start": today - timedelta(days=29), "end": today})
