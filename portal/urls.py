from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
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
    # The API picks its language from `lang` or Accept-Language (conditions/api/languages.py).
    path("api/", include("conditions.api.urls")),
    path("", include("cdshooks.urls")),
    # One sitemap for both languages: each entry lists its other-language address.
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots-txt"),
]
# English at today's addresses, Spanish under /es/.
urlpatterns += i18n_patterns(
    path("", include("changes.urls")),
    path("", include("conditions.urls")),
    prefix_default_language=False,
)

# The site's 404 page, which also tells a reader when a page is not yet in their language.
handler404 = "conditions.views.page_not_found"
