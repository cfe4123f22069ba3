from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Project form templates: labels without Django's trailing colon."""

    field_template_name = "includes/field.html"
