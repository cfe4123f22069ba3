"""What the service worker keeps for offline use, and the version that names its cache.

The static files are our own (STATICFILES_DIRS) plus the htmx script the
pages load. Their URLs come from the static storage, so in production they are
the hashed names; the version is a digest of those URLs and of the files'
contents, so any change to a static file (or a deploy that changes one) gives
a new cache name, and the new worker's `activate` deletes the old caches.
"""

import hashlib
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static

# Loaded by every page ({% htmx_script %}), from django-htmx's own static files.
PACKAGE_STATIC = ("django_htmx/htmx-2.min.js",)
# Big or rarely needed offline: fetched when asked for, not at install.
NOT_PRECACHED = {"img/icon-512.png", "img/icon-maskable-512.png"}


def _our_static_files() -> list[tuple[str, Path]]:
    files = []
    for directory in settings.STATICFILES_DIRS:
        root = Path(directory)
        for path in sorted(root.rglob("*")):
            name = path.relative_to(root).as_posix()
            if path.is_file() and name not in NOT_PRECACHED:
                files.append((name, path))
    for name in PACKAGE_STATIC:
        found = finders.find(name)
        if found:
            files.append((name, Path(str(found))))
    return files


def precached_static_urls() -> list[str]:
    return [static(name) for name, _ in _our_static_files()]


def offline_version() -> str:
    templates = Path(settings.BASE_DIR) / "templates" / "pwa"
    # The worker's own templates and the offline page change what is cached too.
    sources = [(static(name), path) for name, path in _our_static_files()]
    sources += [(template.name, template) for template in sorted(templates.glob("*"))]
    # Browsers ask for the worker on every visit: read the files again only when one changed.
    signature = tuple((url, str(path), *_stamp(path)) for url, path in sources)
    return _digest(signature)


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=4)
def _digest(signature: tuple) -> str:
    digest = hashlib.sha256()
    for url, path, *_ in signature:
        digest.update(url.encode())
        digest.update(hashlib.sha256(Path(path).read_bytes()).digest())
    return digest.hexdigest()[:12]
