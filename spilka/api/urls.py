"""The API's URLs: the OSDI entry point, the schema and its docs page, every route of the
router (``spilka.api.routes``), and a JSON 404 for anything else under /api/v1/."""

from __future__ import annotations

from django.urls import include, path, re_path

from spilka.api import views
from spilka.api.exceptions import not_found
from spilka.api.routes import router

app_name = "api"

urlpatterns = [
    path("", views.EntryPointView.as_view(), name="entry-point"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.docs, name="docs"),
    path("", include(router.urls)),
    re_path(r"^.*$", not_found, name="not-found"),
]
