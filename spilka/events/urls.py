from django.urls import path

from spilka.events.views import feeds, items, manage, public, registrant, series

app_name = "events"

urlpatterns = [
    path("events/", public.event_list, name="index"),
    path("events/archive/", public.event_archive, name="archive"),
    path("events/new/", manage.event_create, name="create"),
    path("events/feed.ics", feeds.feed_all, name="feed"),
    path("events/org/<uslug:slug>/feed.ics", feeds.feed_organisation, name="feed_organisation"),
    path("events/series/new/", series.series_create, name="series_create"),
    path("events/series/<uslug:slug>/", public.series_detail, name="series"),
    path("events/series/<uslug:slug>/feed.ics", feeds.feed_series, name="feed_series"),
    path("events/r/<str:token>/", registrant.registration_page, name="registration"),
    path("events/r/<str:token>/event.ics", registrant.registration_ics, name="registration_ics"),
    path("events/cancel/<str:token>/", registrant.registration_cancel, name="cancel"),
    path(
        "events/confirm/<str:token>/", registrant.registration_confirm_email, name="confirm_email"
    ),
    path("events/offer/<str:token>/", registrant.offer_accept, name="offer"),
    path("events/checkin/<str:token>/", registrant.checkin_scan, name="checkin_scan"),
    path("events/<uslug:slug>/", public.event_detail, name="event"),
    path("events/<uslug:slug>/register/", public.event_register, name="register"),
    path("events/<uslug:slug>/event.ics", feeds.event_ics, name="event_ics"),
    path("events/<uslug:slug>/edit/", manage.event_edit, name="edit"),
    path("events/<uslug:slug>/manage/", manage.event_manage, name="manage"),
    path(
        "events/<uslug:slug>/manage/<str:kind>/<int:pk>/move/",
        items.event_item_move,
        name="item_move",
    ),
    path(
        "events/<uslug:slug>/manage/question/<int:pk>/edit/",
        items.event_question_edit,
        name="question_edit",
    ),
    path(
        "events/<uslug:slug>/manage/<str:kind>/<int:pk>/delete/",
        items.event_item_delete,
        name="item_delete",
    ),
    path("events/<uslug:slug>/attendees/", manage.attendees, name="attendees"),
    path("events/<uslug:slug>/attendees.csv", manage.attendees_csv, name="attendees_csv"),
    path(
        "events/<uslug:slug>/attendees/<int:pk>/decide/",
        manage.registration_decide,
        name="decide",
    ),
    path("events/<uslug:slug>/checkin/", manage.checkin_list, name="checkin"),
    path(
        "events/<uslug:slug>/checkin/<int:pk>/",
        manage.registration_checkin,
        name="checkin_tick",
    ),
    path("events/<uslug:slug>/message/", manage.event_message, name="message"),
    path("events/<uslug:slug>/duplicate/", manage.event_duplicate, name="duplicate"),
]
