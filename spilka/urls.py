from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from spilka.lib import views as lib_views

admin.site.site_header = "Spilka"
admin.site.site_title = "Spilka"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz", lib_views.healthz, name="healthz"),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("spilka.accounts.urls")),
    path("outbox/", lib_views.outbox_list, name="outbox"),
    path("outbox/<int:pk>/", lib_views.outbox_detail, name="outbox_detail"),
    path("", include("spilka.network.urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
