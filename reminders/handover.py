"""Send one email so that a crash at any moment leaves a clear answer to
"could the mail server have it?".

SMTP has one point of no return: the "." that ends DATA. A connection that
drops before it makes the server throw the partial message away, so the email
can safely be sent again; once the dot has left, the server has it and a
second send would be a duplicate. `send_with_handover` calls `handing_over()`
just before that dot, so the caller can record the moment in the database.

The record and the dot can't be one act: a crash in the instant between them
(after the database has the record, before the dot leaves) loses that one
email, which is then counted as sent without confirmation. We chose that over
the reverse order, where the same instant would send it twice.
"""

import re
import smtplib
import socket

from django.conf import settings
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import sanitize_address

CRLF = b"\r\n"
LEADING_DOT = re.compile(rb"(?m)^\.")


class HandoverRefused(Exception):
    """`handing_over` found someone else owns the delivery now; nothing was sent."""


def send_with_handover(message, connection, handing_over) -> None:
    """Send `message` over `connection`, calling `handing_over()` at the point of no return.

    `handing_over` raises HandoverRefused to abandon the send; the connection
    is then closed mid-DATA, which makes the server discard the message.
    Backends other than SMTP (tests, the console) hand over before sending.
    """
    if not isinstance(connection, SmtpBackend):
        handing_over()
        message.send()
        return
    connection.open()
    smtp = connection.connection
    assert smtp is not None, "open() connects or raises"
    no_delay(smtp)
    encoding = message.encoding or settings.DEFAULT_CHARSET
    sender = sanitize_address(message.from_email, encoding)
    recipients = [sanitize_address(address, encoding) for address in message.recipients()]
    body = message.message().as_bytes(linesep="\r\n")

    # smtplib's sendmail() and data(), split before the final dot.
    smtp.ehlo_or_helo_if_needed()
    code, reply = smtp.mail(sender)
    if code != 250:
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    for recipient in recipients:
        code, reply = smtp.rcpt(recipient)
        if code not in (250, 251):
            raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
    code, reply = smtp.docmd("data")
    if code != 354:
        raise smtplib.SMTPDataError(code, reply)
    data = LEADING_DOT.sub(b"..", body)
    if not data.endswith(CRLF):
        data += CRLF
    smtp.send(data)
    try:
        handing_over()
    except HandoverRefused:
        drop(connection)
        raise
    smtp.send(b"." + CRLF)
    code, reply = smtp.getreply()
    if code != 250:
        raise smtplib.SMTPDataError(code, reply)


def no_delay(smtp: smtplib.SMTP) -> None:
    """Send small writes at once. The final dot goes in its own small write after
    the body; with Nagle's algorithm it waits for the server's delayed ACK of the
    body, about 40 ms an email."""
    if smtp.sock is not None:
        smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def drop(connection) -> None:
    """Close the socket without QUIT: mid-conversation, QUIT would wait for a reply
    that never comes. The next send opens a fresh connection."""
    smtp = getattr(connection, "connection", None)
    if isinstance(connection, SmtpBackend) and smtp is not None:
        smtp.close()
        connection.connection = None
