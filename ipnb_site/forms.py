from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


class FormRenderer(TemplatesSetting):
    """Project form templates: labels without Django's trailing colon."""

    field_template_name = "includes/field.html"


def _attributes(attrs: dict) -> SafeString:
    """Attributes as Django's attrs.html writes them: True alone, False left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


class LongSelect(forms.Select):
    """Django's <select>, its options written in Python.

    Django renders every option through two templates; for a list such as
    the 121 feeling words that took longer than the rest of the page. The
    markup is Django's own.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _ in widget["optgroups"]:
            rendered = format_html_join(
                "\n",
                '<option value="{}"{}>{}</option>',
                (
                    (option["value"], _attributes(option["attrs"]), option["label"])
                    for option in options
                ),
            )
            if group_name:
                rendered = format_html(
                    '<optgroup label="{}">\n{}\n</optgroup>', group_name, rendered
                )
            groups.append(rendered)
        return format_html(
            '<select name="{}"{}>\n{}\n</select>',
            widget["name"],
            _attributes(widget["attrs"]),
            format_html_join("\n", "{}", ((group,) for group in groups)),
        )
