"""SMTP handlers for `python -m aiosmtpd -c smtp_sinks.<Handler>` in bench/reminders.py."""

import asyncio


class SlowSink:
    """Keeps nothing, and answers each message after a delay, as a mail relay across
    a network does: then sending waits on the server, not on the worker's CPU."""

    def __init__(self, delay_ms: float):
        self.delay = delay_ms / 1000

    @classmethod
    def from_cli(cls, parser, delay_ms: str = "10") -> "SlowSink":
        return cls(float(delay_ms))

    async def handle_DATA(self, server, session, envelope) -> str:
        await asyncio.sleep(self.delay)
        return "250 OK"
