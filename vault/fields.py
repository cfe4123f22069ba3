"""Model fields whose values are sealed with their owner's data key.

The model keeps plain values: `entry.body` reads and writes text as before, so
forms, validation, templates and the export are unchanged. The database holds
`enc1:<base64 nonce+ciphertext>` (a JSON string for the JSON field), sealed in
`pre_save` and opened the first time the attribute is read. Each value is
bound to its place (table, column, owner and row public id), so a value
copied to another row or another person's row fails to open.

Writing plain text through a path that skips `pre_save` (`QuerySet.update`,
`bulk_update`) raises instead of storing it unsealed.

A sealed value can't be matched in the database; `EqualityKeyField` keeps a
keyed fingerprint of one beside it, for "is it this name?" and uniqueness.
"""

import json
from typing import cast

from django.conf import settings
from django.db import models
from django.db.models.query_utils import DeferredAttribute

from vault.blind_index import equality_key
from vault.crypto import TOKEN_BYTES, is_sealed, open_text, seal_text
from vault.keyring import keys_for

# Whether a value is empty can still be asked; its words cannot.
SEALED_LOOKUPS = {"exact", "isnull"}


class Sealed(str):
    """A value as the database holds it, not yet opened."""


class SealedDescriptor(DeferredAttribute):
    """Opens a sealed value on first read and keeps the plain value on the instance."""

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Sealed):
            value = cast(SealedFieldMixin, self.field).open_for(instance, value)
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value


class SealedFieldMixin(models.Field):
    """What the text and JSON fields share; `owner_field` names the owner's foreign key."""

    descriptor_class = SealedDescriptor

    def __init__(self, *args, owner_field: str = "user", **kwargs):
        self.owner_field = owner_field
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.owner_field != "user":
            kwargs["owner_field"] = self.owner_field
        return name, path, args, kwargs

    def get_lookup(self, lookup_name):
        # The database holds ciphertext: matching words there would silently find nothing.
        if lookup_name not in SEALED_LOOKUPS:
            return None
        return super().get_lookup(lookup_name)

    def get_transform(self, name):
        return None

    def place(self, instance) -> str:
        return self.place_at(getattr(instance, f"{self.owner_field}_id"), instance.public_id)

    def place_at(self, owner_id, public_id) -> str:
        return f"{self.model._meta.db_table}.{self.column}|owner={owner_id}|row={public_id}"

    def seal_for(self, instance, plaintext: str) -> Sealed:
        owner_id = getattr(instance, f"{self.owner_field}_id")
        return Sealed(seal_text(keys_for(owner_id).data_key, plaintext, self.place(instance)))

    def open_for(self, instance, sealed: str):
        return self.open_at(getattr(instance, f"{self.owner_field}_id"), instance.public_id, sealed)

    def open_at(self, owner_id, public_id, sealed: str):
        """Open a value read without its instance (`values_list`), given its row."""
        if not settings.ENCRYPTION_AT_REST and not is_sealed(sealed):
            return self.plain_value(sealed)
        place = self.place_at(owner_id, public_id)
        return self.plain_value(open_text(keys_for(owner_id).data_key, sealed, place))

    def opener(self, owner_id):
        """`open_at` for many values of one owner: the key is looked up once."""
        data_key = keys_for(owner_id).data_key
        at_rest = settings.ENCRYPTION_AT_REST

        def open_one(public_id, sealed: str):
            if not at_rest and not is_sealed(sealed):
                return self.plain_value(sealed)
            place = self.place_at(owner_id, public_id)
            return self.plain_value(open_text(data_key, sealed, place))

        return open_one

    def plain_value(self, text: str):
        return text


class EncryptedTextField(SealedFieldMixin, models.TextField):
    """Free text a person writes; an empty value stays empty (and visible as such)."""

    def from_db_value(self, value, expression, connection):
        return Sealed(value) if value else value

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if not value or not settings.ENCRYPTION_AT_REST:
            return value
        return self.seal_for(model_instance, str(value))

    def get_prep_value(self, value):
        if isinstance(value, Sealed) or not value or not settings.ENCRYPTION_AT_REST:
            return super().get_prep_value(value)
        raise ValueError(
            f"{self.model._meta.label}.{self.name} is sealed: plain text can't be "
            "written or matched in the database (save the instance instead)."
        )


class EncryptedJSONField(SealedFieldMixin, models.JSONField):
    """A JSON value kept as one sealed JSON string."""

    def from_db_value(self, value, expression, connection):
        value = super().from_db_value(value, expression, connection)
        return Sealed(value) if isinstance(value, str) and is_sealed(value) else value

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value is None or not settings.ENCRYPTION_AT_REST:
            return value
        return self.seal_for(model_instance, json.dumps(value, cls=self.encoder))

    def get_prep_value(self, value):
        if isinstance(value, Sealed) or value is None or not settings.ENCRYPTION_AT_REST:
            return super().get_prep_value(str(value) if isinstance(value, Sealed) else value)
        raise ValueError(
            f"{self.model._meta.label}.{self.name} is sealed: save the instance to write it."
        )

    def plain_value(self, text: str):
        return json.loads(text, cls=self.decoder)


class EqualityKeyField(models.BinaryField):
    """A keyed fingerprint of the plain value of the sealed field `of`, for finding
    equal values (`Tag.objects.named`) and keeping them unique per person.

    Set in `pre_save` (so `bulk_create` sets it too) from the value as the person
    wrote it: equal means exactly equal. Reveals which of one person's rows hold
    the same value, nothing across people, and nothing once their key is gone.
    """

    def __init__(self, *args, of: str = "", owner_field: str = "user", **kwargs):
        self.of = of
        self.owner_field = owner_field
        kwargs.setdefault("max_length", TOKEN_BYTES)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["of"] = self.of
        if self.owner_field != "user":
            kwargs["owner_field"] = self.owner_field
        return name, path, args, kwargs

    def key_for(self, owner_id: int, value: str) -> bytes:
        column = cast(models.Field, self.model._meta.get_field(self.of)).column
        return equality_key(owner_id, f"{self.model._meta.db_table}.{column}", value)

    def key_of(self, instance) -> bytes:
        owner_id = getattr(instance, f"{self.owner_field}_id")
        return self.key_for(owner_id, getattr(instance, self.of))

    def pre_save(self, model_instance, add):
        key = self.key_of(model_instance)
        setattr(model_instance, self.attname, key)
        return key
