from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from conditions.sitemaps import SITEMAPS
from conditions.views import robots_txt
from ops import health

urlpatterns = [
    # Movable by setting (ADMIN_URL), away from the path password-guessing scripts try.
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/", include("conditions.api.urls")),
    path("", include("cdshooks.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("", include("changes.urls")),
    path("", include("conditions.urls")),
]
