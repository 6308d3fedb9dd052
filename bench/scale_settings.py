"""Settings for ``bench/scale.py``: Spilka's own, with the cache in the process's memory.

The bench clears the cache before each page; a shared Redis would be flushed under the
other users of this machine, and the database cache table would add its own queries.
"""

from spilka.settings import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The hashed manifest needs ``collectstatic``; the pages' cost does not depend on it.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
