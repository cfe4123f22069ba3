import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipnb_site.settings")

application = get_wsgi_application()

# After Django is set up: the wrapper looks up each address's body limit.
from ipnb_site.middleware import CountedChunkedBodyApp  # noqa: E402

application = CountedChunkedBodyApp(application)  # type: ignore[assignment]
