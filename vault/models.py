"""Each person's data key, kept wrapped, and the blind index that lets search
work without the database holding words.

A data key is made the first time a person's text is sealed and is never
stored unwrapped. It goes with the account (CASCADE): once it is deleted, any
copy of their sealed text, in a backup say, can no longer be opened.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from vault.crypto import (
    KeyEncryptionKey,
    UnreadableText,
    new_data_key,
    unwrap_data_key,
    wrap_data_key,
)


def key_encryption_keys() -> list[KeyEncryptionKey]:
    """From ENCRYPTION_KEYS (checked at start-up, see ipnb_site/env.py), current first."""
    return settings.ENCRYPTION_KEYS


def current_kek() -> KeyEncryptionKey:
    return key_encryption_keys()[0]


def kek_named(key_id: str) -> KeyEncryptionKey:
    for kek in key_encryption_keys():
        if kek.key_id == key_id:
            return kek
    raise UnreadableText(
        f"a data key is wrapped under {key_id!r}, which ENCRYPTION_KEYS no longer lists"
    )


class DataKeyQuerySet(models.QuerySet):
    def not_under_current_key(self):
        return self.exclude(kek_id=current_kek().key_id)

    def unwrapped_for(self, owner_id: int) -> bytes:
        """The person's data key in the clear, made (once, whoever races) if they have none."""
        found = self.filter(user_id=owner_id).first()
        if found is None:
            # ON CONFLICT DO NOTHING: a concurrent first save keeps the same key,
            # and no error breaks the transaction around us.
            self.bulk_create([DataKey.wrapping(owner_id, new_data_key())], ignore_conflicts=True)
            found = self.get(user_id=owner_id)
        return found.unwrap()


class DataKey(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="data_key",
    )
    # Which key-encryption key wrapped it: rotation re-wraps until all name the current one.
    kek_id = models.CharField(max_length=40)
    wrapped = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)
    wrapped_at = models.DateTimeField(default=timezone.now)

    objects = DataKeyQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["kek_id"], name="vault_datakey_kek")]

    def __str__(self) -> str:
        return f"Data key of person {self.user_id} under {self.kek_id}"

    @classmethod
    def wrapping(cls, owner_id: int, data_key: bytes) -> "DataKey":
        kek = current_kek()
        return cls(
            user_id=owner_id, kek_id=kek.key_id, wrapped=wrap_data_key(kek, data_key, owner_id)
        )

    def unwrap(self) -> bytes:
        return unwrap_data_key(kek_named(self.kek_id), self.wrapped, self.user_id)

    def rewrap_under_current(self) -> bool:
        """Wrap the same data key under the current KEK; False if it already was.

        A compare-and-set on the old wrapping: a concurrent rotation of this row
        changes nothing twice, and sealed text never changes at all.
        """
        kek = current_kek()
        if self.kek_id == kek.key_id:
            return False
        old_wrapped = bytes(self.wrapped)
        data_key = self.unwrap()
        updated = DataKey.objects.filter(
            user_id=self.user_id, kek_id=self.kek_id, wrapped=old_wrapped
        ).update(
            kek_id=kek.key_id,
            wrapped=wrap_data_key(kek, data_key, self.user_id),
            wrapped_at=timezone.now(),
        )
        return updated == 1


class SearchToken(models.Model):
    """One keyed stem of one row: HMAC(person's index key, stem), never the stem.

    `kind` and `row_id` name the row (its public id). `sealed_count` is how
    often the stem occurs in the row, sealed with the person's data key (the
    same length for every count), so the search ranks rows without opening
    their text. Empty for tokens made before counts were kept: those rows are
    opened and counted instead.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    row_id = models.UUIDField()
    token = models.BinaryField(max_length=16)
    sealed_count = models.BinaryField(default=b"", blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "token"], name="vault_search_token_lookup"),
            models.Index(fields=["kind", "row_id"], name="vault_search_token_row"),
            # Only tokens still without a count: beat's look for them stays cheap.
            models.Index(
                fields=["kind"],
                condition=models.Q(sealed_count=b""),
                name="vault_search_token_uncounted",
            ),
        ]

    def __str__(self) -> str:
        return f"Search token of {self.kind} {self.row_id}"
