"""Production settings with encryption at rest off: only for bench/load.py's
baseline, so a run can compare sealed and plain side by side."""

from ipnb_site.settings import *  # noqa: F403

ENCRYPTION_AT_REST = False
