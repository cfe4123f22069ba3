from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class MfaConfig(AppConfig):
    name = "mfa"
    verbose_name = "Two-step sign-in"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from mfa.reauth import signed_in_just_now

        user_logged_in.connect(signed_in_just_now, dispatch_uid="mfa.signed_in_just_now")


class TwoStepAdminConfig(admin_apps.AdminConfig):
    """Django's admin, whose `admin.site` asks for the second step (mfa/admin_site.py)."""

    default = False
    default_site = "mfa.admin_site.TwoStepAdminSite"
