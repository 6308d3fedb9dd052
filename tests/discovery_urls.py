"""The site's URLs plus one view that fails, to reach the 500 page through a request."""

from django.urls import path

from spilka.urls import urlpatterns as site_urlpatterns


def boom(request):  # type: ignore[no-untyped-def]
    raise RuntimeError("a deliberate failure for the 500 page test")


urlpatterns = [path("boom/", boom), *site_urlpatterns]
