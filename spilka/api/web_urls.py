from django.urls import path

from spilka.api import web

app_name = "api_keys"

urlpatterns = [
    path("org/<uslug:slug>/api-keys/", web.api_keys, name="list"),
    path("org/<uslug:slug>/api-keys/<int:pk>/revoke/", web.api_key_revoke, name="revoke"),
]
