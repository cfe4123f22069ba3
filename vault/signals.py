"""Keep the blind index and the key cache true to the database.

Receivers are connected per searchable model (those naming SEARCH_FIELDS), not
for every sender. There is deliberately no post_delete receiver for them: it
would turn deleting an account into a query per row. Tokens go with the
account (CASCADE), and with purged rows in `SoftDeleteQuerySet.purge_deleted`;
a token left by any other hard delete points at no row and is never shown.
"""

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from vault import blind_index, keyring
from vault.models import DataKey


def reindex_saved_text(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if update_fields is not None and not set(update_fields) & set(sender.SEARCH_FIELDS):
        return
    blind_index.reindex(instance, new=created)


def forget_deleted_key(sender, instance, **kwargs):
    keyring.forget(instance.user_id)


def connect() -> None:
    for model in apps.get_models():
        if getattr(model, "SEARCH_FIELDS", None):
            post_save.connect(
                reindex_saved_text, sender=model, dispatch_uid=f"vault-index-{model._meta.label}"
            )
    post_delete.connect(forget_deleted_key, sender=DataKey, dispatch_uid="vault-forget-key")
