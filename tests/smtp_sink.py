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
    """`reply_delay` keeps a message (as a real server queues it) and waits before saying so.

    `hold(stage, nth)` stops the conversation at one exact moment, so a test can
    break the sender there: at "rcpt", before the nth message's recipient is
    accepted (the server has nothing of it yet); at "reply", after the nth
    message's final dot (the server has it all, the sender waits for the answer).
    """

    def __init__(self, port: int | None = None, reply_delay: float = 0.0):
        self.raw: list[bytes] = []
        self.refuse = False  # answer 451 (try later) to every message while True
        self.reply_delay = reply_delay
        self.holding = threading.Event()  # set once the hold is reached
        self.held_for = ""  # the recipient of the held message
        self._hold_at: tuple[str, int] | None = None
        self._released = threading.Event()
        self._lock = threading.Lock()
        self.port = port or _free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    def hold(self, stage: str, nth: int) -> None:
        assert stage in ("rcpt", "reply"), stage
        self._hold_at = (stage, nth)
        self.holding.clear()
        self._released.clear()

    def release(self) -> None:
        self._hold_at = None
        self._released.set()

    async def _hold_if_due(self, stage: str, nth: int, recipient: str) -> None:
        if self._hold_at != (stage, nth):
            return
        self.held_for = recipient
        self.holding.set()
        await asyncio.get_running_loop().run_in_executor(None, self._released.wait)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        await self._hold_if_due("rcpt", self.count() + 1, address)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "451 4.3.0 Try again later"
        with self._lock:
            self.raw.append(envelope.content)
            received = len(self.raw)
        await self._hold_if_due("reply", received, envelope.rcpt_tos[0])
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
        self.release()  # a held conversation would keep the server from stopping
        self.controller.stop()
