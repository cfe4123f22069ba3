"""LongSelect writes the same <select> as Django's Select, only faster."""

import re

import pytest
from django import forms

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

    assert same_markup(html) == same_markup(djangos.render("feeling", value, attrs))
    assert ("selected" in html) == (value != "not-a-choice")
    assert "&lt;&amp; more&gt;" in html and "&quot;wired&quot;" in html
    assert " disabled" not in html
