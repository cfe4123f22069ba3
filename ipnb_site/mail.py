from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend
from django.core.mail.backends.filebased import EmailBackend as FileEmailBackend


class FileAndConsoleEmailBackend(FileEmailBackend):
    """Development mail: keep every message under var/mail/ and echo it."""

    def send_messages(self, email_messages):
        sent = super().send_messages(email_messages)
        ConsoleEmailBackend(fail_silently=self.fail_silently).send_messages(email_messages)
        return sent
