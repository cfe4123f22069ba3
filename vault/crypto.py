"""The few primitives of encryption at rest, with nothing of Django in them.

Everything is AES-256-GCM from the `cryptography` package: authenticated, so a
changed byte or a ciphertext moved to another place fails to open. Each use
binds its place as associated data (whose key, which table, column and row).
"""

import base64
import binascii
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32
NONCE_BYTES = 12
# Marks a sealed value in a text column; anything else there is plain text
# written before encryption (only the data migrations meet that).
SEALED_PREFIX = "enc1:"
BLIND_INDEX_INFO = b"riverwise blind index v1"
TOKEN_BYTES = 16
# How often a stem occurs in a row, sealed beside its token: two bytes, so every
# sealed count has the same length whatever it holds.
COUNT_BYTES = 2
MAX_COUNT = 256**COUNT_BYTES - 1


class UnreadableText(Exception):
    """A sealed value that does not open: tampered, moved, or its key is gone.

    The message names the place, never the text.
    """


@dataclass(frozen=True)
class KeyEncryptionKey:
    key_id: str
    secret: bytes = b""

    def __repr__(self) -> str:  # never print the secret
        return f"KeyEncryptionKey({self.key_id!r})"


def parse_key_encryption_keys(raw: str) -> list[KeyEncryptionKey]:
    """`id:base64key,id:base64key`, current key first. Raises ValueError saying what is wrong."""
    keys: list[KeyEncryptionKey] = []
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        key_id, colon, encoded = item.partition(":")
        if not colon or not key_id.strip():
            raise ValueError("each key must be written id:base64key")
        try:
            secret = base64.b64decode(encoded.strip(), validate=True)
        except binascii.Error:
            raise ValueError(f"key {key_id.strip()!r} is not valid base64") from None
        if len(secret) != KEY_BYTES:
            raise ValueError(f"key {key_id.strip()!r} must be {KEY_BYTES} bytes, not {len(secret)}")
        if any(known.key_id == key_id.strip() for known in keys):
            raise ValueError(f"key id {key_id.strip()!r} appears twice")
        keys.append(KeyEncryptionKey(key_id.strip(), secret))
    if not keys:
        raise ValueError("no keys given")
    return keys


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


@lru_cache(maxsize=1024)
def _cipher(key: bytes) -> AESGCM:
    # Set up once per key: a page of sealed values then costs only the decrypting.
    return AESGCM(key)


def _seal_bytes(key: bytes, plaintext: bytes, place: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + _cipher(key).encrypt(nonce, plaintext, place)


def _open_bytes(key: bytes, sealed: bytes, place: bytes) -> bytes:
    nonce, ciphertext = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
    return _cipher(key).decrypt(nonce, ciphertext, place)


def wrap_data_key(kek: KeyEncryptionKey, data_key: bytes, owner_id: int) -> bytes:
    return _seal_bytes(kek.secret, data_key, _key_place(kek, owner_id))


def unwrap_data_key(kek: KeyEncryptionKey, wrapped: bytes, owner_id: int) -> bytes:
    try:
        return _open_bytes(kek.secret, bytes(wrapped), _key_place(kek, owner_id))
    except InvalidTag:
        raise UnreadableText(f"the data key of person {owner_id} does not open") from None


def _key_place(kek: KeyEncryptionKey, owner_id: int) -> bytes:
    return f"riverwise data key|kek={kek.key_id}|owner={owner_id}".encode()


def seal_text(data_key: bytes, plaintext: str, place: str) -> str:
    sealed = _seal_bytes(data_key, plaintext.encode(), place.encode())
    return SEALED_PREFIX + base64.b64encode(sealed).decode("ascii")


def open_text(data_key: bytes, sealed: str, place: str) -> str:
    if not is_sealed(sealed):
        raise UnreadableText(f"{place}: not a sealed value")
    try:
        raw = base64.b64decode(sealed[len(SEALED_PREFIX) :], validate=True)
        return _open_bytes(data_key, raw, place.encode()).decode()
    except (InvalidTag, binascii.Error, ValueError):
        raise UnreadableText(f"{place}: does not open with its owner's key here") from None


def is_sealed(value: str) -> bool:
    return value.startswith(SEALED_PREFIX)


def blind_index_key(data_key: bytes) -> bytes:
    """A key for search tokens only, derived so a token never reveals the data key."""
    return HKDF(
        algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=BLIND_INDEX_INFO
    ).derive(data_key)


def search_token(index_key: bytes, stem: str) -> bytes:
    return hmac.new(index_key, stem.encode(), hashlib.sha256).digest()[:TOKEN_BYTES]


def _count_place(row_id: bytes, token: bytes) -> bytes:
    return b"riverwise search count|" + row_id + b"|" + token


def seal_count(data_key: bytes, count: int, row_id: bytes, token: bytes) -> bytes:
    """How often a token's stem occurs in its row, sealed and bound to that row and token."""
    plain = min(count, MAX_COUNT).to_bytes(COUNT_BYTES, "big")
    return _seal_bytes(data_key, plain, _count_place(row_id, token))


def count_opener(data_key: bytes):
    """Opens many sealed counts of one person; None for one that does not open here."""
    cipher = _cipher(data_key)

    def open_count(sealed: bytes, row_id: bytes, token: bytes) -> int | None:
        try:
            plain = cipher.decrypt(
                sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], _count_place(row_id, token)
            )
        except (InvalidTag, ValueError):
            return None
        return int.from_bytes(plain, "big")

    return open_count
