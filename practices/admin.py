from django.contrib import admin

from practices.models import Practice, PracticeStep


class PracticeStepInline(admin.StackedInline):
    model = PracticeStep
    extra = 0
    fields = [("position", "key", "weight"), "title", "cue"]


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "guide", "position"]
    list_editable = ["position"]
    list_filter = ["category", "guide"]
    prepopulated_fields = {"slug": ["name"]}
    fields = [
        "name",
        "slug",
        "category",
        "guide",
        "summary",
        "rationale",
        ("duration_choices", "default_minutes"),
        "position",
    ]
    inlines = [PracticeStepInline]


# Practice sessions are private to each person and are not shown in the admin.
