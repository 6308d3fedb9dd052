from django.urls import include, path

from spilka.campaigns.views import campaigns as campaign_views
from spilka.campaigns.views import manage as manage_views
from spilka.campaigns.views import petition_thanks as thanks_views
from spilka.campaigns.views import petitions as petition_views

app_name = "campaigns"

urlpatterns = [
    path("campaigns/", campaign_views.campaign_list, name="campaigns"),
    path("campaigns/new/", manage_views.campaign_create, name="campaign_create"),
    path("campaigns/<uslug:slug>/", campaign_views.campaign_detail, name="campaign"),
    path("campaigns/<uslug:slug>/edit/", manage_views.campaign_edit, name="campaign_edit"),
    path(
        "campaigns/<uslug:slug>/petitions/new/",
        manage_views.petition_create,
        name="petition_create",
    ),
    path("petitions/<uslug:slug>/edit/", manage_views.petition_edit, name="petition_edit"),
    path("petitions/<uslug:slug>/", petition_views.petition_detail, name="petition"),
    path("petitions/<uslug:slug>/sign/", petition_views.petition_sign, name="petition_sign"),
    path("petitions/<uslug:slug>/thanks/", thanks_views.petition_thanks, name="petition_thanks"),
    path(
        "petitions/<uslug:slug>/thanks/resend/",
        thanks_views.petition_thanks_resend,
        name="petition_thanks_resend",
    ),
    path("petitions/<uslug:slug>/widget/", petition_views.petition_widget, name="petition_widget"),
    path(
        "petitions/<uslug:slug>/signatures.csv",
        petition_views.petition_export,
        name="petition_export",
    ),
    path(
        "petitions/confirm/<str:token>/", petition_views.signature_confirm, name="signature_confirm"
    ),
    path(
        "petitions/withdraw/<str:token>/",
        petition_views.signature_withdraw,
        name="signature_withdraw",
    ),
    path("", include("spilka.campaigns.urls.resolutions")),
    path("", include("spilka.campaigns.urls.statements")),
    path("", include("spilka.campaigns.urls.legislation")),
]
