"""Routes for legislation, included by urls/__init__.py in the "campaigns" namespace."""

from django.urls import path

from spilka.campaigns.views import legislation as views

urlpatterns = [
    path("campaigns/<uslug:slug>/bills/new/", views.bill_create, name="bill_create"),
    path("bills/<int:pk>/", views.bill_detail, name="bill"),
    path("bills/<int:pk>/stages/new/", views.bill_stage_add, name="bill_stage_add"),
]
