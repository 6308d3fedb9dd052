"""Routes for statements, included by urls/__init__.py in the "campaigns" namespace."""

from django.urls import path

from spilka.campaigns.views import statements as views

urlpatterns = [
    path("campaigns/<uslug:slug>/statements/new/", views.statement_create, name="statement_create"),
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
    path("statements/<uslug:slug>/", views.statement_detail, name="statement"),
    path("statements/<uslug:slug>/print/", views.statement_print, name="statement_print"),
    path("statements/<uslug:slug>/edit/", views.statement_edit, name="statement_edit"),
    path("statements/<uslug:slug>/invite/", views.statement_invite, name="statement_invite"),
    path("statements/<uslug:slug>/cosign/", views.statement_cosign, name="statement_cosign"),
    path(
        "statements/<uslug:slug>/cosign/officer/",
        views.statement_cosign_officer,
        name="statement_cosign_officer",
    ),
    path(
        "statements/<uslug:slug>/cosign/evidence/",
        views.statement_evidence,
        name="statement_evidence",
    ),
    path(
        "statements/<uslug:slug>/withdraw/<uslug:organisation>/",
        views.cosignature_withdraw,
        name="cosignature_withdraw",
    ),
    path("statements/<uslug:slug>/sign/", views.statement_sign, name="statement_sign"),
    path("statements/<uslug:slug>/thanks/", views.statement_thanks, name="statement_thanks"),
]
