from django.urls import path

from spilka.outreach.bounces import views

app_name = "mail_hooks"

urlpatterns = [path("<slug:provider>/", views.mail_hook, name="hook")]
