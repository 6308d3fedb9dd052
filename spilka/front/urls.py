from django.urls import path

from spilka.front import views

app_name = "front"

urlpatterns = [
    path("", views.front_page, name="index"),
]
