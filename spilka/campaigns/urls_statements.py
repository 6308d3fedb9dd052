"""Routes for statements; included by campaigns/urls.py under the "campaigns" namespace."""

from django.urls import path

from spilka.campaigns.views import statements as views

urlpatterns = [
    path("campaigns/<slug:slug>/statements/new/", views.statement_create, name="statement_create"),
    # Links from emails: their literal second and third segments match no statement route.
    path(
        "statements/cosign/confirm/<str:token>/",
        views.cosignature_confirm,
        name="cosignature_confirm",
    ),
    path(
        "statements/sign/confirm/<str:token>/",
        views.individual_confirm,
        name="individual_confirm",
    ),
    path("statements/<slug:slug>/", views.statement_detail, name="statement"),
    path("statements/<slug:slug>/print/", views.statement_print, name="statement_print"),
    path("statements/<slug:slug>/edit/", views.statement_edit, name="statement_edit"),
    path("statements/<slug:slug>/invite/", views.statement_invite, name="statement_invite"),
    path("statements/<slug:slug>/cosign/", views.statement_cosign, name="statement_cosign"),
    path(
        "statements/<slug:slug>/cosign/officer/",
        views.statement_cosign_officer,
        name="statement_cosign_officer",
    ),
    path(
        "statements/<slug:slug>/cosign/evidence/",
        views.statement_evidence,
        name="statement_evidence",
    ),
    path(
        "statements/<slug:slug>/withdraw/<slug:organisation>/",
        views.cosignature_withdraw,
        name="cosignature_withdraw",
    ),
    path("statements/<slug:slug>/sign/", views.statement_sign, name="statement_sign"),
    path("statements/<slug:slug>/thanks/", views.statement_thanks, name="statement_thanks"),
]
