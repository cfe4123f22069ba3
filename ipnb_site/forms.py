from django import forms
from django.forms.renderers import Jinja2
from django.forms.utils import ErrorList
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


class FormRenderer(Jinja2):
    """Forms and widgets written by Jinja2, with the project's field template.

    Django's own form and widget templates come in a Jinja2 version too; ours
    (labels without the trailing colon, errors and help tied to the input) are
    in ipnb_site/jinja2 and journal/jinja2. Jinja2 writes a form in a little
    over half the time the Django engine takes (the nine bound fields of
    tests/site/test_form_renderer.py: 1.1 ms against 2.0, medians of seven
    timings). A template found only among the Django templates (the admin's
    widgets) is still rendered by Django's engine.
    """

    field_template_name = "includes/field.html"

    def get_template(self, template_name):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return get_template(template_name)

    def render(self, template_name, context, request=None):
        # Every field writes its error list, and most have none: Django's template
        # for it writes nothing then, but through two templates each time.
        if template_name == ErrorList.template_name and not context.get("errors"):
            return ""
        return super().render(template_name, context, request)


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

    Django builds a dictionary for every option and renders each through two
    templates; for a list such as the 121 feeling words that took longer than
    the rest of the page. The markup is Django's own, and so is the rule that
    only the first option with the chosen value is selected.
    """

    def render(self, name, value, attrs=None, renderer=None):
        chosen = self.format_value(value)
        found = False

        def option(option_value, label) -> str:
            nonlocal found
            option_value = "" if option_value is None else str(option_value)
            selected = (not found or self.allow_multiple_selected) and option_value in chosen
            found = found or selected
            return (
                f'<option value="{conditional_escape(option_value)}"'
                f"{' selected' if selected else ''}>{conditional_escape(label)}</option>"
            )

        groups = []
        for group_value, group_label in self.choices:
            if isinstance(group_label, list | tuple):
                options = "\n".join(option(*choice) for choice in group_label)
                group = conditional_escape(group_value)
                groups.append(f'<optgroup label="{group}">\n{options}\n</optgroup>')
            else:
                groups.append(option(group_value, group_label))
        select_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            select_attrs["multiple"] = True
        attributes = _attributes(select_attrs)
        options = "\n".join(groups)
        # Every value and label above is escaped.
        return mark_safe(  # noqa: S308
            f'<select name="{conditional_escape(name)}"{attributes}>\n{options}\n</select>'
        )
