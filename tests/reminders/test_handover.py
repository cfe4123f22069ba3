"""The SMTP point of no return, against a real SMTP server on loopback."""

import smtplib

import pytest
from django.core.mail import EmailMessage, get_connection

from reminders.handover import HandoverRefused, send_with_handover
from tests.smtp_sink import SmtpSink


def message(body: str) -> EmailMessage:
    return EmailMessage("Time to pause", body, "hello@localhost", ["olive@example.com"])


def test_the_message_arrives_whole_once_the_handover_is_recorded(smtp_sink):
    body = "Line one\n.\n..two dots\n.leading dot\nLast line without a newline"
    moments: list[int] = []
    connection = get_connection()

    send_with_handover(message(body), connection, lambda: moments.append(smtp_sink.count()))

    assert moments == [0]  # recorded before the server had it
    assert smtp_sink.count() == 1
    received = smtp_sink.messages[0]
    # Dot-stuffing is undone by the server: every line arrives as written.
    assert received.get_content().replace("\r\n", "\n").rstrip("\n") == body
    assert received["To"] == "olive@example.com"
    # The same connection carries the next message.
    send_with_handover(message("again"), connection, lambda: None)
    assert smtp_sink.count() == 2
    connection.close()


def test_a_refused_handover_leaves_nothing_with_the_server(smtp_sink):
    connection = get_connection()

    def taken_by_another_worker():
        raise HandoverRefused(1)

    with pytest.raises(HandoverRefused):
        send_with_handover(message("Not this one"), connection, taken_by_another_worker)

    assert connection.connection is None  # dropped mid-DATA, so the server discards it
    send_with_handover(message("But this one"), connection, lambda: None)
    assert [m.get_content().strip() for m in smtp_sink.messages] == ["But this one"]
    connection.close()


def test_a_server_refusing_after_the_message_raises_for_a_retry(smtp_sink):
    smtp_sink.refuse = True
    with pytest.raises(smtplib.SMTPDataError) as refused:
        send_with_handover(message("Later"), get_connection(), lambda: None)
    assert refused.value.smtp_code == 451
    assert smtp_sink.count() == 0


def test_a_server_that_is_down_raises_before_any_handover(settings):
    sink = SmtpSink()  # a free port with nothing listening
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    moments: list[str] = []
    with pytest.raises(OSError):
        send_with_handover(message("Nobody home"), get_connection(), lambda: moments.append("x"))
    assert moments == []
