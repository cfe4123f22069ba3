from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from accounts.throttle import clear_own_failures

        user_logged_in.connect(clear_own_failures, dispatch_uid="accounts.clear_own_failures")
