"""Routes for resolutions, included by urls/__init__.py in the "campaigns" namespace."""

from django.urls import path

from spilka.campaigns.views import resolutions as views

urlpatterns = [
    path(
        "campaigns/<uslug:slug>/resolutions/new/", views.resolution_create, name="resolution_create"
    ),
    path("resolutions/<uslug:slug>/", views.resolution_detail, name="resolution"),
    path(
        "resolutions/<uslug:slug>/timeline.svg",
        views.resolution_timeline_svg,
        name="resolution_timeline_svg",
    ),
    path(
        "resolutions/<uslug:slug>/countries.svg",
        views.resolution_countries_svg,
        name="resolution_countries_svg",
    ),
    path(
        "resolutions/<uslug:slug>/versions/new/",
        views.resolution_version_add,
        name="resolution_version_add",
    ),
    path("resolutions/<uslug:slug>/report/", views.adoption_report, name="adoption_report"),
    path(
        "resolutions/<uslug:slug>/adoptions/<int:pk>/",
        views.adoption_update,
        name="adoption_update",
    ),
    path(
        "resolutions/<uslug:slug>/adoptions/<int:pk>/verify/",
        views.adoption_verify,
        name="adoption_verify",
    ),
]
