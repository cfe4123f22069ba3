"""Print a new VAPID key pair as environment lines, for push reminders."""

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management.base import BaseCommand


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class Command(BaseCommand):
    help = "Generate a VAPID key pair for Web Push and print it as environment variables."

    def add_arguments(self, parser):
        parser.add_argument(
            "--subject",
            default="mailto:hello@example.com",
            help="A mailto: address push services can reach you at.",
        )

    def handle(self, *args, subject: str, **options):
        private_key = ec.generate_private_key(ec.SECP256R1())
        private_raw = private_key.private_numbers().private_value.to_bytes(32, "big")
        public_raw = private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        # Changing keys later cuts off every device that subscribed with the old ones.
        self.stdout.write(f"VAPID_PRIVATE_KEY={b64url(private_raw)}")
        self.stdout.write(f"VAPID_PUBLIC_KEY={b64url(public_raw)}")
        self.stdout.write(f"VAPID_SUBJECT={subject}")
