import os

from hypothesis import settings

# CI runs a fixed, reproducible set of examples; developers get fresh random ones.
settings.register_profile("ci", derandomize=True, database=None)
settings.load_profile("ci" if os.environ.get("CI") else "default")
