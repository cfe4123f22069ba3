"""A body over the limit is refused before it is read, at the WSGI level where the attack is.

Each request's `wsgi.input` counts the bytes the app takes from it: a 300 MB
upload must cost the server (almost) nothing, announced or chunked.
"""

import sys

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from ipnb_site.middleware import MULTIPART_ALLOWANCE
from ipnb_site.wsgi import application
from portability.reading import IMPORT_MAX_BYTES

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
ATTACK = 300 * MB
BOUNDARY = "riverwise-test-boundary"


class CountingBody:
    """A multipart body of `size` bytes, made up as it is read, counting what was read."""

    def __init__(self, size: int):
        head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.head, self.tail, self.size = head, tail, size
        self.read_bytes = 0

    def _byte_at(self, position: int, count: int) -> bytes:
        filler_end = self.size - len(self.tail)
        out = bytearray()
        while count and position < self.size:
            if position < len(self.head):
                piece = self.head[position : position + count]
            elif position < filler_end:
                piece = b"x" * min(count, filler_end - position)
            else:
                piece = self.tail[position - filler_end : position - filler_end + count]
            out += piece
            position += len(piece)
            count -= len(piece)
        return bytes(out)

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self.size - self.read_bytes
        data = self._byte_at(self.read_bytes, min(size, 1024 * 1024))
        self.read_bytes += len(data)
        return data

    def readline(self, size: int = -1) -> bytes:
        return self.read(size if size and size > 0 else 65536)


def call_wsgi(path: str, body: CountingBody, *, content_length: int | None) -> tuple[int, bytes]:
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "203.0.113.9",
        # A CSRF cookie, as the attacker's browser had: Django then reads the body for the token.
        "HTTP_COOKIE": "csrftoken=" + "a" * 32,
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": body,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if content_length is None:
        environ["HTTP_TRANSFER_ENCODING"] = "chunked"
    else:
        environ["CONTENT_LENGTH"] = str(content_length)
    status = []
    # As Django's test client does: closing connections would end the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        result = application(environ, lambda s, headers, exc_info=None: status.append(s))  # type: ignore[arg-type]
        content = b"".join(result)
        result.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return int(status[0].split()[0]), content


def test_an_announced_300_mb_upload_to_the_login_page_is_refused_unread_with_the_413_page():
    body = CountingBody(ATTACK)
    status, content = call_wsgi("/accounts/login/", body, content_length=ATTACK)

    assert (status, body.read_bytes) == (413, 0)
    assert "too much to send at once" in content.decode()


def test_a_chunked_300_mb_upload_is_refused_once_it_passes_the_limit():
    body = CountingBody(ATTACK)
    status, content = call_wsgi("/accounts/login/", body, content_length=None)

    assert (status, body.read_bytes) == (413, pytest.approx(0, abs=3 * MB))
    assert "too much to send at once" in content.decode()
    # Counting means reading up to the limit, and not one chunk further.
    assert body.read_bytes <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024 * 1024


def test_a_small_chunked_body_is_read_whole_and_handed_to_django():
    body = CountingBody(4096)
    status, _ = call_wsgi("/accounts/login/", body, content_length=None)

    assert status != 413
    assert body.read_bytes == 4096


@pytest.mark.parametrize("content_length", [ATTACK, None], ids=["announced", "chunked"])
def test_the_import_upload_refuses_more_than_a_10_mb_file_can_need(content_length):
    body = CountingBody(ATTACK)
    status, content = call_wsgi("/progress/data/import/", body, content_length=content_length)

    assert (status, body.read_bytes) == (413, pytest.approx(0, abs=IMPORT_MAX_BYTES + 2 * MB))
    assert "10 MB" in content.decode()
    assert body.read_bytes <= IMPORT_MAX_BYTES + MULTIPART_ALLOWANCE + 1024 * 1024


def test_every_other_address_keeps_the_2_mb_limit():
    body = CountingBody(3 * MB)
    status, _ = call_wsgi("/journal/new/", body, content_length=3 * MB)
    assert (status, body.read_bytes) == (413, 0)


def test_a_10_mb_file_still_reaches_the_import_and_gets_its_own_words(owner_client):
    upload = SimpleUploadedFile("big.json", b" " * IMPORT_MAX_BYTES, "application/json")
    response = owner_client.post("/progress/data/import/", {"file": upload})

    assert response.status_code == 400
    assert "too much to send at once" not in response.content.decode()
