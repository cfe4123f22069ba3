from django.core.management.base import BaseCommand

from accounts.models import User

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "river-of-integration"


class Command(BaseCommand):
    help = (
        "Create the demo account used by `make run` and print its login. An existing "
        "account keeps its password unless --reset-password is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", default=DEMO_EMAIL)
        parser.add_argument("--password", default=DEMO_PASSWORD)
        parser.add_argument(
            "--reset-password", action="store_true", help="Set the password of an existing account."
        )

    def handle(self, *args, email, password, reset_password, **options):
        user = User.objects.filter(email=User.objects.normalize_email(email)).first()
        if user is None:
            user = User.objects.create_user(email, password, display_name="Demo")
            self.stdout.write(self.style.SUCCESS("Created the demo account."))
        elif reset_password:
            user.set_password(password)
            user.save(update_fields=["password"])
            self.stdout.write(self.style.SUCCESS("Reset the demo account's password."))
        else:
            self.stdout.write(self.style.SUCCESS("The demo account is already here."))
            self.stdout.write("  Log in at http://localhost:8000/accounts/login/")
            self.stdout.write(f"  email:    {user.email}")
            self.stdout.write(
                "  password: as you last set it (make demo-password puts the demo one back)"
            )
            return
        self.stdout.write("  Log in at http://localhost:8000/accounts/login/")
        self.stdout.write(f"  email:    {user.email}")
        self.stdout.write(f"  password: {password}")
