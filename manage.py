#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipnb_site.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 (load the settings now, to report them plainly)
    except ImproperlyConfigured as error:
        sys.exit(f"Configuration error: {error}\nFor development, set DEBUG=1 (make run does).")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
