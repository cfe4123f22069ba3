from django.contrib import admin

from mfa.models import Passkey


@admin.register(Passkey)
class PasskeyAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "created_at", "last_used_at"]
    readonly_fields = ["public_id", "credential_id", "public_key", "user_handle", "sign_count"]
    search_fields = ["user__email", "name"]
