"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""

import asyncio
import email
import email.policy
import socket
import threading
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpSink:
    """`reply_delay` keeps a message (as a real server queues it) and waits before saying so."""

    def __init__(self, port: int | None = None, reply_delay: float = 0.0):
        self.raw: list[bytes] = []
        self.refuse = False  # answer 451 (try later) to every message while True
        self.reply_delay = reply_delay
        self._lock = threading.Lock()
        self.port = port or _free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "451 4.3.0 Try again later"
        with self._lock:
            self.raw.append(envelope.content)
        if self.reply_delay:
            await asyncio.sleep(self.reply_delay)
        return "250 OK"

    @property
    def messages(self) -> list[EmailMessage]:
        with self._lock:
            raw = list(self.raw)
        return [email.message_from_bytes(data, policy=email.policy.default) for data in raw]

    def count(self) -> int:
        with self._lock:
            return len(self.raw)

    def start(self) -> "SmtpSink":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()
