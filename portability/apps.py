from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class PortabilityConfig(AppConfig):
    """A person's data as a file and back: export, import and the printable report."""

    name = "portability"

    def ready(self) -> None:
        # Each app declares the kinds of rows it keeps in its own portability.py.
        autodiscover_modules("portability")
