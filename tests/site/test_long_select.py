"""LongSelect writes the same <select> as Django's Select, only faster."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from ipnb_site.forms import LongSelect

CHOICES = [
    ("", "Any"),
    ("Feelings <& more>", [("calm", "calm & steady"), ("tense", 'tense "wired"')]),
    ("other", "Something else"),
]


def same_markup(html) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize("value", ["", "calm", "other", "not-a-choice"])
@pytest.mark.parametrize(
    "attrs",
    [{"id": "id_feeling"}, {"id": "id_feeling", "required": True, "aria-invalid": "true"}],
)
def test_it_writes_what_djangos_select_writes(value, attrs):
    ours = forms.ChoiceField(choices=CHOICES, widget=LongSelect).widget
    djangos = forms.ChoiceField(choices=CHOICES, widget=forms.Select).widget

    html = ours.render("feeling", value, {**attrs, "disabled": False})

    # Django's own templates: the project writes widgets with Jinja2, spaced differently.
    assert same_markup(html) == same_markup(
        djangos.render("feeling", value, attrs, renderer=DjangoTemplates())
    )
    assert ("selected" in html) == (value != "not-a-choice")
    assert "&lt;&amp; more&gt;" in html and "&quot;wired&quot;" in html
    assert " disabled" not in html


@pytest.mark.parametrize("widget", [LongSelect, forms.Select])
def test_only_the_first_option_with_the_chosen_value_is_selected(widget):
    twice = [("calm", "calm"), ("calm", "calm again"), ("tense", "tense")]
    html = str(forms.ChoiceField(choices=twice, widget=widget).widget.render("feeling", "calm"))
    assert html.count(" selected") == 1
    assert re.search(r'value="calm" selected>calm</option>', html)


def test_a_multiple_select_marks_every_chosen_option_as_djangos_does():
    class LongSelectMultiple(LongSelect):
        allow_multiple_selected = True

    choices = [("calm", "calm"), ("tense", "tense"), ("open", "open")]
    ours = forms.MultipleChoiceField(choices=choices, widget=LongSelectMultiple).widget
    djangos = forms.MultipleChoiceField(choices=choices, widget=forms.SelectMultiple).widget
    value = ["calm", "open"]
    djangos_own = djangos.render("f", value, renderer=DjangoTemplates())
    assert same_markup(ours.render("f", value)) == same_markup(djangos_own)
