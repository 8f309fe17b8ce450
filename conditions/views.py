"""Public HTML pages. Only published content is ever shown.

Every page is the same for every visitor (cache_public_page): the site cache serves it.

Every page runs a fixed number of queries whatever the amount of content: related rows come
through prefetches limited to published content, never through per-row look-ups.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from sitecache.pages import cache_public_page

from . import search as site_search
from .filters import ConditionFilter
from .forms import SearchForm
from .languages import HTML_LANG, alternates_for
from .models import (
    QUESTIONS_HEADING,
    Alias,
    Condition,
    ConditionMechanism,
    Mechanism,
    Status,
    Symptom,
    active_language,
)
from .pagination import InvalidPage, page_of

FEATURED_CONDITIONS = 6
SEARCH_RESULTS_LIMIT = 50
# Sent by static/js/filters.js to fetch just the result list.
PARTIAL_HEADER = "X-Partial"
# A mechanism can cause well over a thousand conditions: its page names this many and links to
# the filtered condition list for the rest, so the page costs the same however many there are.
MECHANISM_CONDITIONS_SHOWN = 24
# The patterns templates/includes/pattern_diagram.html draws.
DIAGRAMMED_PATTERNS = {"symmetric-length-dependent", "mononeuritis-multiplex"}


@cache_public_page(parameters=[])
@require_safe
def home(request):
    context = {
        "featured": Condition.objects.for_list().order_by("-is_emergency", "name")[
            :FEATURED_CONDITIONS
        ],
        "mechanisms": Mechanism.objects.published(),
        "symptoms": Symptom.objects.published(),
        "search_form": SearchForm(),
    }
    return render(request, "conditions/home.html", context)


class TranslationMissing(Http404):
    """A page that is live in English but whose translation into the language asked for is
    not (yet) published: the reader gets a notice in their language and the English link."""

    def __init__(self, item):
        super().__init__("No published translation")
        self.item = item


def find_or_explain(queryset, slug):
    """The item at this address among `queryset`; else a 404, saying so in the reader's
    language (with a link to the English page) when only the translation is missing."""
    item = queryset.with_translation_flags().with_slug(slug).first()
    if item is not None:
        return item
    if active_language() != settings.LANGUAGE_CODE:
        english = (
            queryset.model._default_manager.filter(status=Status.PUBLISHED).with_slug(slug).first()
        )
        if english is not None:
            raise TranslationMissing(english)
    raise Http404("No such page")


def page_not_found(request, exception=None):
    """The site's 404 page; for a page not yet translated, the notice and its English link."""
    item = getattr(exception, "item", None)
    if item is None:
        return render(request, "404.html", {"alternates": []}, status=404)
    with translation.override(settings.LANGUAGE_CODE):
        english_url = item.get_absolute_url()
        english_name = str(item)
    context = {"english_url": english_url, "english_name": english_name, "alternates": []}
    return render(request, "translation_missing.html", context, status=404)


class BadRequest(Exception):
    """A request parameter was not understood; the page says which with status 400."""


def active_filter_chips(request, filterset):
    """(field, label, URL without that value) for each filter value in use: one click removes it."""
    chips = []
    query = filterset.query_items()
    for name, value, field_label, label in filterset.chosen_values():
        remaining = urlencode([item for item in query if item != (name, value)])
        chips.append(
            {
                "field": field_label,
                "label": label,
                "remove_url": f"{request.path}?{remaining}" if remaining else request.path,
            }
        )
    return chips


@cache_public_page(parameters=[*ConditionFilter.base_filters, "page"])
@require_safe
@vary_on_headers(PARTIAL_HEADER)
def condition_list(request):
    filterset = ConditionFilter(request.GET, queryset=Condition.objects.for_list())
    context = {"filterset": filterset, "form": filterset.form}
    status = 200
    try:
        if not filterset.is_valid():
            raise BadRequest(", ".join(filterset.errors))
        page = page_of(filterset.results(), request.GET.get("page"))
    except InvalidPage:
        status = 400
        context.update(page=None, invalid_parameters="page", chips=[])
        context["page_error"] = gettext("The page number was not understood.")
    except BadRequest as error:
        status = 400
        context.update(page=None, invalid_parameters=str(error), chips=[])
    else:
        context.update(
            page=page,
            chips=active_filter_chips(request, filterset),
            querystring=urlencode(filterset.query_items()),
        )
    template = "conditions/condition_list.html"
    if request.headers.get(PARTIAL_HEADER) == "results":
        template += "#results"
    return render(request, template, context, status=status)


@cache_public_page(parameters=[])
@require_safe
def condition_detail(request, slug, *, preview=False):
    """A published condition's page; the admin previews any condition through it (preview)."""
    conditions = Condition.objects.all() if preview else Condition.objects.published()
    condition = find_or_explain(conditions.with_page_relations(), slug)
    context = {
        "condition": condition,
        "alternates": alternates_for(condition),
        "preview": preview,
        "questions_heading": gettext(QUESTIONS_HEADING),
        "structured_data": condition_structured_data(request, condition),
        "diagram_patterns": [
            pattern.slug
            for pattern in condition.patterns.all()
            if pattern.slug in DIAGRAMMED_PATTERNS
        ],
    }
    return render(request, "conditions/condition_detail.html", context)


def condition_structured_data(request, condition):
    """schema.org MedicalCondition inside a MedicalWebPage, for search engines."""
    url = request.build_absolute_uri(condition.get_absolute_url())
    return {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "url": url,
        "inLanguage": HTML_LANG.get(active_language(), active_language()),
        "name": condition.name,
        "description": condition.summary,
        **review_structured_data(condition),
        "audience": {"@type": "Patient"},
        "about": {
            "@type": "MedicalCondition",
            "name": condition.name,
            "alternateName": [alias.name for alias in condition.aliases.all()],
            "description": condition.summary,
            "url": url,
            "code": [
                {
                    "@type": "MedicalCode",
                    "code": code.code,
                    "codingSystem": code.get_system_display(),
                }
                for code in condition.codes.all()
            ],
            "signOrSymptom": [
                {"@type": "MedicalSignOrSymptom", "name": symptom.name}
                for symptom in condition.symptoms.all()
            ],
        },
    }


def review_structured_data(item):
    """schema.org's review facts, only when a named reviewer approved the page."""
    if not item.is_reviewed:
        return {}
    return {
        "lastReviewed": item.reviewed_on.isoformat(),
        "reviewedBy": {
            "@type": "Person",
            "name": item.reviewed_by.name,
            "jobTitle": item.reviewed_by.credentials,
        },
    }


@cache_public_page(parameters=[])
@require_safe
def mechanism_list(request):
    return render(
        request,
        "conditions/mechanism_list.html",
        {"mechanisms": Mechanism.objects.published()},
    )


@cache_public_page(parameters=[])
@require_safe
def mechanism_detail(request, slug, *, preview=False):
    """A published mechanism's page; the admin previews any mechanism through it (preview)."""
    mechanisms = Mechanism.objects.all() if preview else Mechanism.objects.published()
    mechanism = find_or_explain(mechanisms.with_page_relations(), slug)
    shown = list(
        ConditionMechanism.objects.shown_on_mechanism_page(mechanism, MECHANISM_CONDITIONS_SHOWN)
    )
    total = mechanism.published_condition_count
    all_conditions_url = None
    if total > len(shown):
        query = urlencode({"mechanism": mechanism.slug})
        all_conditions_url = f"{reverse('conditions:condition-list')}?{query}"
    context = {
        "mechanism": mechanism,
        "alternates": alternates_for(mechanism),
        "preview": preview,
        "condition_links": shown,
        "condition_count": total,
        "all_conditions_url": all_conditions_url,
    }
    return render(request, "conditions/mechanism_detail.html", context)


@cache_public_page(parameters=[])
@require_safe
def symptom_list(request):
    return render(
        request, "conditions/symptom_list.html", {"symptoms": Symptom.objects.published()}
    )


@cache_public_page(parameters=[])
@require_safe
def symptom_detail(request, slug, *, preview=False):
    """A published symptom's page; the admin previews any symptom through it (preview)."""
    symptoms = Symptom.objects.all() if preview else Symptom.objects.published()
    symptom = find_or_explain(symptoms.with_published_conditions(), slug)
    return render(
        request,
        "conditions/symptom_detail.html",
        {"symptom": symptom, "preview": preview, "alternates": alternates_for(symptom)},
    )


def first_letter(text):
    return site_search.initial_letter(text, active_language())


@cache_public_page(parameters=[])
@require_safe
def a_to_z(request):
    """Every published condition, mechanism and symptom by letter, in the alphabet of the
    language being served (ñ after n in Spanish); aliases point to their page."""
    entries = [
        {"name": c.name, "url": c.get_absolute_url(), "kind": gettext("Condition")}
        for c in Condition.objects.for_list()
    ]
    entries += [
        {
            "name": alias.name,
            "url": alias.condition.get_absolute_url(),
            "kind": gettext("Condition"),
            "see": alias.condition.name,
        }
        for alias in Alias.objects.published().select_related("condition")
    ]
    entries += [
        {"name": m.name, "url": m.get_absolute_url(), "kind": gettext("How nerves are damaged")}
        for m in Mechanism.objects.published()
    ]
    entries += [
        {"name": s.name, "url": s.get_absolute_url(), "kind": gettext("Symptom")}
        for s in Symptom.objects.published()
    ]
    language = active_language()
    letters = sorted(
        {first_letter(entry["name"]) for entry in entries},
        key=lambda letter: site_search.collation_key(letter, language),
    )
    by_letter = {letter: [] for letter in letters}
    for entry in entries:
        by_letter[first_letter(entry["name"])].append(entry)
    for group in by_letter.values():
        group.sort(key=lambda entry: site_search.collation_key(entry["name"], language))
    return render(request, "conditions/a_to_z.html", {"letters": list(by_letter.items())})


@cache_public_page(parameters=["q"])
@require_safe
def search(request):
    form = SearchForm(request.GET)
    context = {"form": form, "query": "", "results": [], "suggestion": None}
    if not form.is_valid():
        return render(request, "conditions/search.html", context, status=400)
    query = form.cleaned_data["q"].strip()
    context["query"] = query
    if query:
        found = site_search.search(query)
        context["total"] = len(found)
        context["results"] = load_results(found[:SEARCH_RESULTS_LIMIT])
        if not context["results"]:
            suggestion = site_search.suggest(query)
            if suggestion:
                context["suggestion"] = {
                    "query": suggestion,
                    "url": f"{reverse('conditions:search')}?{urlencode({'q': suggestion})}",
                }
    return render(request, "conditions/search.html", context)


def load_results(found):
    """The matched objects, in relevance order, fetched with one query per kind."""
    models = {
        site_search.CONDITION: Condition.objects.for_list(),
        site_search.MECHANISM: Mechanism.objects.published(),
        site_search.SYMPTOM: Symptom.objects.published(),
    }
    wanted = {kind: [doc.pk for _, doc in found if doc.kind == kind] for kind in models}
    loaded = {kind: models[kind].in_bulk(pks) if pks else {} for kind, pks in wanted.items()}
    results = []
    for _, document in found:
        obj = loaded[document.kind].get(document.pk)
        if obj is not None:
            results.append({"kind": document.kind, "object": obj})
    return results


@cache_public_page(parameters=[])
@require_safe
def about(request):
    return render(request, "pages/about.html")


@cache_public_page(parameters=[])
@require_safe
def disclaimer(request):
    return render(request, "pages/disclaimer.html")


@require_safe
def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    # The admin's address is deliberately not listed: naming it here would advertise it.
    lines = ["User-agent: *", "Allow: /", f"Sitemap: {sitemap_url}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
