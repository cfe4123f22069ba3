from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "activity"
    verbose_name = "Sessions and activity"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from activity import signals

        user_logged_in.connect(signals.signed_in, dispatch_uid="activity.signed_in")
        user_logged_out.connect(signals.signed_out, dispatch_uid="activity.signed_out")
        user_login_failed.connect(signals.sign_in_failed, dispatch_uid="activity.sign_in_failed")
        signals.connect_two_step_signals()
