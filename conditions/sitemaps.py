from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Condition, GlossaryTerm, Mechanism, Symptom


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


class GlossarySitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return GlossaryTerm.objects.published().only("slug", "updated")

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
            "conditions:glossary",
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
    "glossary": GlossarySitemap,
}
