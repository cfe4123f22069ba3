from datetime import timedelta

from django import forms

from portability.reading import IMPORT_MAX_BYTES, ImportProblem, read_export
from portability.report import REPORT_MAX_DAYS


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Your export file (.json)",
        help_text=f"The file from “Download everything (JSON)”, up to "
        f"{IMPORT_MAX_BYTES // (1024 * 1024)} MB. You'll see what it holds before anything "
        "is added.",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.data_in_file = read_export(upload)
        except ImportProblem as problem:
            raise forms.ValidationError(problem.message) from None
        return upload


class ConfirmImportForm(forms.Form):
    restore_settings = forms.BooleanField(
        label="Also restore the settings saved in the file",
        required=False,
        initial=True,
        help_text="Your display name, time zone, streak display and reminder pause.",
    )


class ReportForm(forms.Form):
    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))
    journal = forms.BooleanField(
        label="Include my journal entries and notes",
        required=False,
        help_text="Leave this off to share only numbers and feeling words.",
    )
    paper = forms.ChoiceField(
        label="Paper for the PDF",
        choices=[("a4", "A4"), ("letter", "US Letter")],
        required=False,
    )

    def __init__(self, data, *, today):
        if "start" not in data and "end" not in data:
            # First visit: the last 30 days, numbers only.
            data = {"start": today - timedelta(days=29), "end": today}
        super().__init__(data)

    def clean(self):
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError("The end date is before the start date.")
            if (end - start).days >= REPORT_MAX_DAYS:
                raise forms.ValidationError(
                    f"A report can cover up to {REPORT_MAX_DAYS} days. Choose a shorter range."
                )
        cleaned["paper"] = cleaned.get("paper") or "a4"
        return cleaned
