from datetime import timedelta

from django import forms

from portability.csv_reading import CSV_MAX_ROWS, read_csv_file
from portability.history_files import DATE_ORDERS
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


# Other apps' history (Daylio, Bearable, any CSV) -------------------------------------


class HistoryFileForm(forms.Form):
    # Its own prefix: it shares the Your data page with the JSON import's form.
    prefix = "history"
    file = forms.FileField(
        label="A CSV file from Daylio, Bearable or a spreadsheet",
        help_text=f"Up to {IMPORT_MAX_BYTES // (1024 * 1024)} MB and "
        f"{CSV_MAX_ROWS:,} rows. You'll see every mood and how it will be kept before "
        "anything is added.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.tsv,.txt,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.table = read_csv_file(upload)
        except ImportProblem as problem:
            raise forms.ValidationError(problem.message) from None
        return upload


def _guess(names: list[str], *hints: str) -> str:
    """The first column whose name holds one of the hints, as the choice's value."""
    for hint in hints:
        for index, name in enumerate(names):
            if hint in name.lower():
                return str(index)
    return ""


class ColumnsForm(forms.Form):
    """Which column of a spreadsheet holds what, for a CSV we don't know."""

    def __init__(self, header: list[str], *args, chosen: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        columns = [(str(index), name or f"Column {index + 1}") for index, name in enumerate(header)]
        optional = [("", "None"), *columns]
        self.fields["date"] = forms.ChoiceField(label="Date", choices=columns)
        self.fields["date_order"] = forms.ChoiceField(
            label="Dates are written as",
            choices=list(DATE_ORDERS.items()),
            help_text="For dates like 03/04/2026. Dates like 2026-04-03 are always read right.",
        )
        self.fields["time"] = forms.ChoiceField(label="Time", choices=optional, required=False)
        self.fields["mood"] = forms.ChoiceField(label="Mood", choices=optional, required=False)
        self.fields["note"] = forms.ChoiceField(
            label="Note (the entry's words)", choices=optional, required=False
        )
        self.fields["tags"] = forms.ChoiceField(
            label="Tags or activities",
            choices=optional,
            required=False,
            help_text="Several in one cell can be separated by | or commas.",
        )
        if chosen:
            self.initial = {
                name: "" if value is None else str(value) for name, value in chosen.items()
            }
        else:
            self.initial = {
                "date": _guess(header, "date", "day") or "0",
                "time": _guess(header, "time", "hour"),
                "mood": _guess(header, "mood", "feeling", "emotion", "rating"),
                "note": _guess(header, "note", "text", "entry", "journal", "comment"),
                "tags": _guess(header, "tag", "activit", "label"),
            }

    def clean(self):
        cleaned = super().clean() or {}
        chosen = [cleaned.get(name) for name in ("date", "time", "mood", "note", "tags")]
        picked = [value for value in chosen if value]
        if len(picked) != len(set(picked)):
            raise forms.ValidationError("Each column can be used for one thing only.")
        return cleaned

    def columns(self) -> dict:
        """The choices as kept with the upload: column numbers, or None."""
        data = self.cleaned_data
        return {
            **{
                name: int(data[name]) if data.get(name) else None
                for name in ("date", "time", "mood", "note", "tags")
            },
            "date_order": data["date_order"],
        }


def feeling_choices(words) -> list:
    """Every feeling word, grouped by its quadrant, after "no feeling"."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for word in words:
        groups.setdefault(word.get_quadrant_display(), []).append((word.word, word.word))
    return [("", "No feeling (keep the note and tags)"), *groups.items()]


class MoodsForm(forms.Form):
    """The feeling each mood in the file becomes; the person may change any."""

    def __init__(self, moods: list, words, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = feeling_choices(words)
        self.labels: dict[str, str] = {}
        for index, (label, word, _) in enumerate(moods):
            name = f"mood_{index}"
            self.labels[name] = label
            self.fields[name] = forms.ChoiceField(
                label=f"“{label}” becomes",
                choices=choices,
                required=False,
                initial=word.word if word else "",
                help_text=(
                    f"Now: {word.word}, {word.get_quadrant_display().lower()}."
                    if word
                    else "Now: no feeling; the entry keeps its note and tags."
                ),
            )

    def moods(self) -> dict[str, str]:
        return {label: self.cleaned_data[name] for name, label in self.labels.items()}
