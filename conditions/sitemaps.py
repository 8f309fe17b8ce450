from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.urls import reverse

from ops.origin import origin_parts

from .models import Condition, GlossaryTerm, Mechanism, Symptom, Treatment


class Sitemap(DjangoSitemap):
    """Addresses on the configured canonical origin, not the Host the request named."""

    def get_protocol(self, protocol=None):
        return origin_parts()[0]

    def get_domain(self, site=None):
        return origin_parts()[1]


class ContentSitemap(Sitemap):
    """Published rows of one model. Its items are read once as a list: the paginator then
    counts them in Python instead of asking the database for a COUNT first."""

    model = None
    changefreq = "monthly"

    def items(self):
        return list(self.model.objects.published().only("slug", "updated"))

    def lastmod(self, item):
        return item.updated


class ConditionSitemap(ContentSitemap):
    model = Condition
    priority = 0.8


class MechanismSitemap(ContentSitemap):
    model = Mechanism
    priority = 0.6


class SymptomSitemap(ContentSitemap):
    model = Symptom
    priority = 0.5


class TreatmentSitemap(ContentSitemap):
    model = Treatment
    priority = 0.6


class GlossarySitemap(ContentSitemap):
    model = GlossaryTerm
    priority = 0.4


class PageSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return [
            "conditions:home",
            "conditions:condition-list",
            "conditions:mechanism-list",
            "conditions:symptom-list",
            "conditions:treatment-list",
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
    "treatments": TreatmentSitemap,
    "glossary": GlossarySitemap,
}
