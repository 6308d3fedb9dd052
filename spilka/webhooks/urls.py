from django.urls import path

from spilka.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("org/<uslug:slug>/webhooks/", views.endpoint_list, name="list"),
    path("org/<uslug:slug>/webhooks/new/", views.endpoint_create, name="create"),
    path("org/<uslug:slug>/webhooks/<int:pk>/", views.endpoint_detail, name="endpoint"),
    path("org/<uslug:slug>/webhooks/<int:pk>/edit/", views.endpoint_edit, name="edit"),
    path("org/<uslug:slug>/webhooks/<int:pk>/delete/", views.endpoint_delete, name="delete"),
    path("org/<uslug:slug>/webhooks/<int:pk>/secret/", views.endpoint_rotate, name="rotate"),
    path("org/<uslug:slug>/webhooks/<int:pk>/resume/", views.endpoint_resume, name="resume"),
    path("org/<uslug:slug>/webhooks/<int:pk>/test/", views.endpoint_test, name="test"),
    path(
        "org/<uslug:slug>/webhooks/<int:pk>/deliveries/<uuid:delivery_id>/resend/",
        views.delivery_resend,
        name="resend",
    ),
]
