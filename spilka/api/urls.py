"""Every API route, on one router, so the schema, the entry point and the isolation sweep
enumerate them all. Each helper keeps its registrations in its own marked block."""

from __future__ import annotations

from django.urls import include, path, re_path
from rest_framework.routers import DefaultRouter

from spilka.api import views
from spilka.api.exceptions import not_found

app_name = "api"


class Router(DefaultRouter):
    include_root_view = False  # the OSDI entry point is the root
    include_format_suffixes = False


router = Router(trailing_slash="/?")

# --- api: OSDI people, tags, taggings, lists ------------------------------------------
from spilka.outreach.api.views import PersonViewSet  # noqa: E402

router.register("people", PersonViewSet, basename="osdi-person")
# --- end api ---------------------------------------------------------------------------

# --- osdi: petitions, signatures, events, attendances, donations, messages -------------
# --- end osdi --------------------------------------------------------------------------

# --- own: Spilka's own resources --------------------------------------------------------
# --- end own ---------------------------------------------------------------------------

urlpatterns = [
    path("", views.EntryPointView.as_view(), name="entry-point"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.docs, name="docs"),
    path("", include(router.urls)),
    re_path(r"^.*$", not_found, name="not-found"),
]
