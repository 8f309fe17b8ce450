from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.urls import reverse

from ops.origin import origin_parts

from .models import Condition, Mechanism, Symptom


class Sitemap(DjangoSitemap):
    """Addresses on the configured canonical origin, not the Host the request named."""

    def get_protocol(self, protocol=None):
        return origin_parts()[0]

    def get_domain(self, site=None):
        return origin_parts()[1]


class ConditionSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Condition.objects.published().only("slug", "updated")

    def lastmod(self, item):
        return item.updated


class MechanismSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Mechanism.objects.published().only("slug", "updated")

    def lastmod(self, item):
        return item.updated


class SymptomSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Symptom.objects.published().only("slug", "updated")

    def lastmod(self, item):
        return item.updated


class PageSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return [
            "conditions:home",
            "conditions:condition-list",
            "conditions:mechanism-list",
            "conditions:symptom-list",
            "conditions:a-to-z",
            "conditions:about",
            "conditions:disclaimer",
        ]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": PageSitemap,
    "conditions": ConditionSitemap,
    "mechanisms": MechanismSitemap,
    "symptoms": SymptomSitemap,
}
