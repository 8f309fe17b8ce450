from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Condition, Mechanism, Symptom


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
    model = None

    def items(self):
        # `slug` brings each language's slug column with it (django-modeltranslation).
        return self.model.objects.published().with_translation_flags().only("slug", "updated")

    def lastmod(self, item):
        return item.updated


class ConditionSitemap(ItemSitemap):
    model = Condition
    changefreq = "monthly"
    priority = 0.8


class MechanismSitemap(ItemSitemap):
    model = Mechanism
    changefreq = "monthly"
    priority = 0.6


class SymptomSitemap(ItemSitemap):
    model = Symptom
    changefreq = "monthly"
    priority = 0.5


class PageSitemap(BilingualSitemap):
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

    def get_languages_for_item(self, item):
        return [code for code, _ in settings.LANGUAGES]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": PageSitemap,
    "conditions": ConditionSitemap,
    "mechanisms": MechanismSitemap,
    "symptoms": SymptomSitemap,
}
