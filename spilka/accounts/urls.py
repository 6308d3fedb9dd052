from django.urls import path

from spilka.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/verify/", views.login_verify, name="login_verify"),
    path("logout/", views.logout_view, name="logout"),
    path("", views.home, name="home"),
    path("two-factor/", views.two_factor, name="two_factor"),
]
