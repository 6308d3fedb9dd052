import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spilka.settings")
application = get_wsgi_application()

from spilka.lib.db_timeout import statement_timeout_install  # noqa: E402

# Web requests only: the worker and management commands never load this module.
statement_timeout_install()

from spilka.campaigns.hot_path import hot_path_application  # noqa: E402

application = hot_path_application(application)


def _warm_up() -> None:
    """Do in each new worker what its first visitors would otherwise wait for.

    Importing every view (the URLconf) and building the shared cache's client (which
    imports the Redis library) take a quarter of a second; without this the first
    signer of a petition on each worker pays for it.

    Then the objects loaded so far (modules, URL patterns, settings: some 200,000), which
    live as long as the worker, go to the collector's permanent generation
    (``gc.freeze``): every full collection walked them all, a pause of about 0.15 s
    every few thousand requests of the sign path.
    """
    import gc

    from django.core.cache import caches
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (importing every view is the point)
    caches["default"]  # noqa: B018
    gc.collect()
    gc.freeze()


_warm_up()
