from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, reverse_lazy
from django.views.decorators.cache import cache_page
from django.views.generic import RedirectView

from spilka.lib import discovery, sharing
from spilka.lib import views as lib_views

# A database outage answers 503 with a page that needs no database (spilka/lib/outage.py).
handler500 = "spilka.lib.outage.server_error"

admin.site.site_header = "Spilka"
admin.site.site_title = "Spilka"

urlpatterns = [
    # One sign-in page for everyone, with its rate limits and two-factor step.
    path(
        "admin/login/",
        RedirectView.as_view(url=reverse_lazy("accounts:login"), query_string=True),
        name="admin_login_redirect",
    ),
    path("admin/", admin.site.urls),
    path("language/", lib_views.language_switch, name="language_switch"),
    path("healthz", lib_views.healthz, name="healthz"),
    # For search engines: every public page in every language, and what not to crawl.
    # An index of one sitemap per kind of page, each paged by the crawler as it grows.
    path(
        "sitemap.xml",
        cache_page(discovery.SITEMAP_CACHE_SECONDS)(sitemap_views.index),
        {"sitemaps": discovery.SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cache_page(discovery.SITEMAP_CACHE_SECONDS)(sitemap_views.sitemap),
        {"sitemaps": discovery.SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", discovery.robots_txt, name="robots_txt"),
    # Mail providers report bounces and complaints here (docs/api.md#inbound-bounce-and-complaint-webhooks).
    path("hooks/mail/", include("spilka.outreach.bounces.urls")),
    # The API: no language prefix; LocaleMiddleware still reads Accept-Language for it.
    path("api/v1/", include("spilka.api.urls")),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("spilka.accounts.urls")),
    path("outbox/", lib_views.outbox_list, name="outbox"),
    path("outbox/<int:pk>/", lib_views.outbox_detail, name="outbox_detail"),
    path(
        "outbox/<int:pk>/attachments/<int:index>/",
        lib_views.outbox_attachment,
        name="outbox_attachment",
    ),
    # Link previews of public pages, drawn in the page's language.
    path("share/<slug:kind>/<uslug:slug>.png", sharing.share_image, name="share_image"),
    path("", include("spilka.campaigns.urls")),
    path("", include("spilka.aid.urls")),
    path("", include("spilka.funds.urls")),
    path("", include("spilka.events.urls")),
    path("", include("spilka.publishing.urls")),
    path("", include("spilka.outreach.urls")),
    path("", include("spilka.webhooks.urls")),
    path("", include("spilka.exports.urls")),
    path("", include("spilka.network.urls")),
    path("", include("spilka.api.web_urls")),
    path("", include("spilka.front.urls")),
    prefix_default_language=True,
)

if settings.SPILKA_BENCH_ENDPOINTS:
    # Only for bench/sign.py: test support, never imported by a production configuration.
    from spilka.lib.testing import bench_bare

    urlpatterns.append(path("bench/bare", bench_bare, name="bench_bare"))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
