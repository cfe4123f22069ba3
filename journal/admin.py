from django.contrib import admin

from journal.models import EmotionWord

# Only the shared vocabulary is in the admin. What people write is private:
# it is deliberately not registered here, so staff cannot browse it.


@admin.register(EmotionWord)
class EmotionWordAdmin(admin.ModelAdmin):
    list_display = ["word", "quadrant", "pleasantness", "energy"]
    list_filter = ["quadrant"]
    search_fields = ["word"]
