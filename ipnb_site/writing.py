"""Limits on what a person writes, shared by every app so forms, imports and the
database agree on them."""

from django.core.validators import MaxLengthValidator
from django.db import models

# A note: on a FACES rating, a check-in, a rupture, a practice session.
NOTE_MAX_LENGTH = 5_000


def limited_text(max_length: int, **options) -> models.TextField:
    """A TextField whose length limit is a rule of the model, not only of its forms.

    (A TextField's max_length alone reaches forms but not `full_clean`.)
    """
    return models.TextField(
        max_length=max_length, validators=[MaxLengthValidator(max_length)], **options
    )


def limited_sealed_text(max_length: int, **options):
    """`limited_text`, sealed with its owner's data key in the database (vault/fields.py)."""
    from vault.fields import EncryptedTextField

    return EncryptedTextField(
        max_length=max_length, validators=[MaxLengthValidator(max_length)], **options
    )
