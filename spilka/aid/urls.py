from django.urls import path

from spilka.aid.views import manage, public, receive, route

app_name = "aid"

urlpatterns = [
    path("aid/", public.index, name="index"),
    path("aid/needs/", public.need_list, name="needs"),
    path("aid/needs/new/", manage.need_create, name="need_create"),
    path("aid/needs/<int:pk>/", manage.need_detail, name="need"),
    path("aid/needs/<int:pk>/pledge/", manage.need_pledge, name="need_pledge"),
    path("aid/needs/<int:pk>/close/", manage.need_close, name="need_close"),
    path("aid/convoys/", manage.convoy_list, name="convoys"),
    path("aid/convoys/new/", manage.convoy_create, name="convoy_create"),
    path("aid/convoys/<int:pk>/", manage.convoy_detail, name="convoy"),
    path("aid/convoys/<int:pk>/load/", manage.convoy_load, name="convoy_load"),
    path("aid/convoys/<int:pk>/status/", manage.convoy_transition, name="convoy_transition"),
    path("aid/convoys/<int:pk>/route/", route.convoy_route, name="convoy_route"),
    path("aid/pledges/<int:pk>/", route.pledge_detail, name="pledge"),
    path("aid/pledges/<int:pk>/cancel/", route.pledge_cancel, name="pledge_cancel"),
    path("aid/convoys/<int:pk>/add/<slug:what>/", manage.convoy_add, name="convoy_add"),
    path("aid/handovers/<int:pk>/", manage.handover_detail, name="handover"),
    path("aid/handovers/<int:pk>/waybill.pdf", manage.handover_waybill, name="waybill"),
    path("aid/handovers/<int:pk>/photo.jpg", manage.handover_photo, name="handover_photo"),
    path("aid/receive/<int:pk>/<str:token>/", receive.receive, name="receive"),
    path(
        "aid/report/organisations/<uslug:slug>/",
        public.report_organisation,
        name="report_organisation",
    ),
    path("aid/report/campaigns/<uslug:slug>/", public.report_campaign, name="report_campaign"),
    path("aid/export/needs.csv", public.export_needs, name="export_needs"),
    path("aid/export/deliveries.csv", public.export_deliveries, name="export_deliveries"),
]
