from django.urls import path

from spilka.outreach.views import public, supporters, work

app_name = "outreach"

urlpatterns = [
    path("outreach/", supporters.index, name="index"),
    path("outreach/<uslug:slug>/", supporters.organisation_home, name="organisation"),
    path(
        "outreach/<uslug:slug>/supporters/<int:pk>/", supporters.supporter_detail, name="supporter"
    ),
    path(
        "outreach/<uslug:slug>/supporters.<str:fmt>",
        supporters.supporters_export,
        name="supporters_export",
    ),
    path(
        "outreach/<uslug:slug>/segments/<int:pk>/supporters.<str:fmt>",
        supporters.supporters_export,
        name="segment_export",
    ),
    path("outreach/<uslug:slug>/groups/", supporters.groups, name="groups"),
    path("outreach/<uslug:slug>/duplicates/", supporters.duplicates, name="duplicates"),
    path("outreach/<uslug:slug>/merge/<int:keep>/<int:other>/", supporters.merge, name="merge"),
    path("outreach/<uslug:slug>/segments/", supporters.segment_list, name="segments"),
    path("outreach/<uslug:slug>/segments/new/", supporters.segment_edit, name="segment_new"),
    path("outreach/<uslug:slug>/segments/<int:pk>/", supporters.segment_edit, name="segment"),
    path("outreach/<uslug:slug>/imports/new/", work.import_new, name="import_new"),
    path("outreach/<uslug:slug>/imports/<int:pk>/", work.import_detail, name="import"),
    path(
        "outreach/<uslug:slug>/imports/<int:pk>/progress.json",
        work.import_progress,
        name="import_progress",
    ),
    path("outreach/<uslug:slug>/mailings/", work.mailing_list, name="mailings"),
    path("outreach/<uslug:slug>/mailings/new/", work.mailing_edit, name="mailing_new"),
    path("outreach/<uslug:slug>/mailings/<int:pk>/", work.mailing_detail, name="mailing"),
    path("outreach/<uslug:slug>/mailings/<int:pk>/edit/", work.mailing_edit, name="mailing_edit"),
    path("outreach/<uslug:slug>/mailings/<int:pk>/test/", work.mailing_test, name="mailing_test"),
    path("outreach/<uslug:slug>/mailings/<int:pk>/send/", work.mailing_send, name="mailing_send"),
    path(
        "outreach/<uslug:slug>/mailings/<int:pk>/cancel/",
        work.mailing_cancel,
        name="mailing_cancel",
    ),
    path(
        "outreach/<uslug:slug>/mailings/<int:pk>/progress.json",
        work.mailing_progress,
        name="mailing_progress",
    ),
    path("u/<str:token>/", public.unsubscribe, name="unsubscribe"),
    path("join/confirm/<str:token>/", public.signup_confirm, name="signup_confirm"),
    path("join/<uslug:slug>/", public.join, name="join"),
    path("join/<uslug:slug>/embed/", public.join_embed, name="join_embed"),
    path("my-data/", public.data_request_form, name="my_data"),
    path("my-data/<str:token>/", public.data_request, name="data_request"),
    path("my-data/<str:token>/my-data.json", public.data_export, {"fmt": "json"}, name="data_json"),
    path("my-data/<str:token>/my-data.csv", public.data_export, {"fmt": "csv"}, name="data_csv"),
]
