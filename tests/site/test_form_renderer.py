"""The project's form renderer: Jinja2 writes the widgets as Django's own templates
do, each field's group ties its label, help and errors to the input, an empty
error list writes nothing, and a widget whose template only Django has (the
admin's) still renders."""

import re

import pytest
from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.forms.renderers import DjangoTemplates

from ipnb_site.forms import FormRenderer


class Walk(forms.Form):
    minutes = forms.IntegerField(label="Minutes", min_value=1, max_value=60)
    where = forms.CharField(label="Where", required=False, help_text="A park, a street.")
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea)
    pace = forms.ChoiceField(label="Pace", choices=[("slow", "Slow"), ("brisk", "Brisk")])
    feel = forms.ChoiceField(
        label="How it felt",
        choices=[("1", "Heavy"), ("2", "Light & easy"), ("3", "Don't know")],
        widget=forms.RadioSelect,
        required=False,
    )
    with_whom = forms.MultipleChoiceField(
        label="With",
        choices=[("dog", "The dog"), ("friend", "A friend")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    on = forms.DateField(label="On", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    again = forms.BooleanField(label="Walk again tomorrow", required=False)
    photo = forms.FileField(label="A photo", required=False)


def same_markup(html: str) -> str:
    """What a browser reads the same: both escape a quote mark, Django as &#x27;,
    Jinja2 (MarkupSafe) as &#39;; Django keeps more line breaks, and a run of
    white space reads as one space, and as none beside a <div>."""
    html = re.sub(r"\s+", " ", html.replace("&#x27;", "&#39;"))
    return re.sub(r" ?(</?div[^>]*>) ?", r"\1", html)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {
            "minutes": "20",
            "where": "by the river",
            "pace": "brisk",
            "feel": "2",
            "with_whom": ["dog", "friend"],
            "on": "2026-12-08",
            "again": "on",
            "note": "<b>hi</b>",
        },
        {"minutes": "0", "pace": "sprint", "on": "not a date"},
    ],
)
def test_every_widget_reads_as_djangos_own_templates_write_it(data):
    ours = Walk(data or None, renderer=FormRenderer())
    djangos = Walk(data or None, renderer=DjangoTemplates())
    for name in Walk.base_fields:
        assert same_markup(str(ours[name])) == same_markup(str(djangos[name])), name


def test_a_field_group_ties_its_label_help_and_errors_to_the_input():
    form = Walk({"minutes": "0", "where": "home", "pace": "slow"}, renderer=FormRenderer())

    minutes = str(form["minutes"].as_field_group())
    assert '<label for="id_minutes">Minutes</label>' in minutes  # no trailing colon
    assert (
        '<ul class="errorlist" id="id_minutes_error">'
        "<li>Ensure this value is greater than or equal to 1.</li></ul>"
    ) in minutes
    minutes_input = re.search(r"<input[^>]*>", minutes)
    assert minutes_input
    assert 'aria-describedby="id_minutes_error"' in minutes_input.group()
    assert 'aria-invalid="true"' in minutes_input.group()

    where = str(form["where"].as_field_group())
    assert '<div class="helptext" id="id_where_helptext">A park, a street.</div>' in where
    assert 'aria-describedby="id_where_helptext"' in where


def test_a_group_of_choices_is_a_fieldset_named_by_its_legend():
    feel = str(Walk(renderer=FormRenderer())["feel"].as_field_group())
    assert feel.startswith("<fieldset>")
    assert "<legend>How it felt</legend>" in feel
    assert "Light &amp; easy" in feel
    assert feel.endswith("</fieldset>")


def test_a_lone_checkbox_sits_inside_its_label():
    again = str(Walk(renderer=FormRenderer())["again"].as_field_group())
    assert re.fullmatch(
        r'<label class="check-line" for="id_again"><input type="checkbox" name="again" '
        r'id="id_again"><span>Walk again tomorrow</span></label>',
        again.strip(),
    )


def test_an_error_still_shows_beside_its_field_and_an_empty_list_writes_nothing():
    form = Walk({"minutes": "0", "where": "home", "pace": "slow"}, renderer=FormRenderer())
    assert "errorlist" in str(form["minutes"].as_field_group())
    assert str(form["where"].errors) == ""
    assert "errorlist" not in str(form["where"].as_field_group())


def test_a_widget_whose_template_only_django_has_is_rendered_by_django():
    # The admin's date widget: its template is a Django one, with no Jinja2 twin.
    html = AdminDateWidget().render("on", None, renderer=FormRenderer())
    assert 'class="vDateField"' in html
    assert '<p class="date">' in html
