"""The project's form renderer writes what Django's templates write, and skips
the templates for an error list that is empty."""

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting

from ipnb_site.forms import FormRenderer


class DjangosOwn(TemplatesSetting):
    field_template_name = FormRenderer.field_template_name


class Walk(forms.Form):
    minutes = forms.IntegerField(label="Minutes", min_value=1, max_value=60)
    where = forms.CharField(label="Where", required=False, help_text="A park, a street.")


@pytest.mark.parametrize("data", [{"minutes": "20", "where": "by the river"}, {"minutes": "0"}])
def test_every_field_reads_as_djangos_templates_write_it(data):
    ours, djangos = Walk(data, renderer=FormRenderer()), Walk(data, renderer=DjangosOwn())
    for name in Walk.base_fields:
        assert str(ours[name].as_field_group()) == str(djangos[name].as_field_group())


def test_an_error_still_shows_beside_its_field_and_an_empty_list_writes_nothing():
    form = Walk({"minutes": "0", "where": "home"}, renderer=FormRenderer())
    assert (
        '<ul class="errorlist" id="id_minutes_error">'
        "<li>Ensure this value is greater than or equal to 1.</li></ul>"
    ) in str(form["minutes"].as_field_group())
    assert str(form["where"].errors) == ""
    assert "errorlist" not in str(form["where"].as_field_group())
