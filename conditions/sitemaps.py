from django.conf import settings
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


class BilingualSitemap(Sitemap):
    """An entry per language a page is published in, each listing the others (hreflang)."""

    i18n = True
    alternates = True
    x_default = True

    def get_languages_for_item(self, item):
        return [
            code
            for code, _ in settings.LANGUAGES
            if code == settings.LANGUAGE_CODE or getattr(item, f"live_in_{code}", False)
        ]


class ItemSitemap(BilingualSitemap):
    """Published rows of one model. Its items are read once as a list: the paginator then
    counts them in Python instead of asking the database for a COUNT first."""

    model = None
    changefreq = "monthly"

    def items(self):
        # `slug` brings each language's slug column with it (django-modeltranslation).
        return list(self.model.objects.published().with_translation_flags().only("slug", "updated"))

    def lastmod(self, item):
        return item.updated


class ConditionSitemap(ItemSitemap):
    model = Condition
    priority = 0.8


class MechanismSitemap(ItemSitemap):
    model = Mechanism
    priority = 0.6


class SymptomSitemap(ItemSitemap):
    model = Symptom
    priority = 0.5


class TreatmentSitemap(ItemSitemap):
    model = Treatment
    priority = 0.6


class GlossarySitemap(ItemSitemap):
    model = GlossaryTerm
    priority = 0.4


class PageSitemap(BilingualSitemap):
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

    def get_languages_for_item(self, item):
        return [code for code, _ in settings.LANGUAGES]

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
