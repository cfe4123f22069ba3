from django.apps import AppConfig


class MfaConfig(AppConfig):
    name = "mfa"
    verbose_name = "Two-step sign-in"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from mfa.reauth import signed_in_just_now

        user_logged_in.connect(signed_in_just_now, dispatch_uid="mfa.signed_in_just_now")
