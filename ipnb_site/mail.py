"""Rendering and keeping email.

Each email is three templates, `<name>-subject.txt`, `<name>-body.txt` and
`<name>-body.html`. Subject and plain text are not HTML, so they are rendered
without HTML escaping (a name like `Sam <&>` reads as typed); the HTML part
stays escaped.
"""

from pathlib import Path

from django.conf import settings
from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend
from django.core.mail.backends.filebased import EmailBackend as FileEmailBackend
from django.template import Context
from django.template.loader import get_template, render_to_string

from ipnb_site.private_files import open_private_file_for_append, private_dir


def absolute_url(path: str) -> str:
    """Links in emails come from SITE_URL, never from the request's Host header."""
    return f"{settings.SITE_URL}{path}"


def render_plain_text(template_name: str, context: dict) -> str:
    """A template rendered as plain text: the same engine, without HTML escaping."""
    template = get_template(template_name).template  # type: ignore[attr-defined]  # the engine's own Template
    return template.render(Context(context, autoescape=False))


def render_email(name: str, context: dict) -> tuple[str, str, str]:
    """The subject (on one line), the plain-text body and the HTML body of one email."""
    subject = " ".join(render_plain_text(f"{name}-subject.txt", context).split())
    text = render_plain_text(f"{name}-body.txt", context)
    html = render_to_string(f"{name}-body.html", context)
    return subject, text, html


class PrivateFileEmailBackend(FileEmailBackend):
    """Mail kept in files under VAR_DIR/mail/ that only the app's user can read."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        private_dir(Path(self.file_path), "EMAIL_FILE_PATH")  # type: ignore[attr-defined]  # set by super()

    def open(self):
        if self.stream is None:
            self.stream = open_private_file_for_append(Path(self._get_filename()))
            return True
        return False


class FileAndConsoleEmailBackend(PrivateFileEmailBackend):
    """Development mail: keep every message under var/mail/ and echo it."""

    def send_messages(self, email_messages):
        sent = super().send_messages(email_messages)
        ConsoleEmailBackend(fail_silently=self.fail_silently).send_messages(email_messages)
        return sent
