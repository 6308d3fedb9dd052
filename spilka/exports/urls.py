from django.urls import path

from spilka.exports import views

app_name = "exports"

urlpatterns = [
    path("exports/<int:pk>/", views.export_status, name="status"),
    path("exports/<int:pk>/progress.json", views.export_progress, name="progress"),
    path("exports/<int:pk>/download/", views.export_download, name="download"),
]
