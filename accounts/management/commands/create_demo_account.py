from django.core.management.base import BaseCommand

from accounts.models import User

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "river-of-integration"


class Command(BaseCommand):
    help = "Create (or reset) the demo account used by `make run`, and print its login."

    def add_arguments(self, parser):
        parser.add_argument("--email", default=DEMO_EMAIL)
        parser.add_argument("--password", default=DEMO_PASSWORD)

    def handle(self, *args, email, password, **options):
        user = User.objects.filter(email=User.objects.normalize_email(email)).first()
        if user is None:
            user = User.objects.create_user(email, password, display_name="Demo")
            verb = "Created"
        else:
            user.set_password(password)
            user.save(update_fields=["password"])
            verb = "Reset"
        self.stdout.write(self.style.SUCCESS(f"{verb} the demo account."))
        self.stdout.write("  Log in at http://localhost:8000/accounts/login/")
        self.stdout.write(f"  email:    {user.email}")
        self.stdout.write(f"  password: {password}")
