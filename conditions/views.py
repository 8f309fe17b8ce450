"""Public HTML pages. Only published content is ever shown.

Every page is the same for every visitor (cache_public_page): the site cache serves it.

Every page runs a fixed number of queries whatever the amount of content: related rows come
through prefetches limited to published content, never through per-row look-ups.
"""

import re
from itertools import groupby
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.csp import CSP, build_policy
from django.utils.text import get_text_list
from django.utils.translation import gettext
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from editorial.markdown import markdown_to_text
from ops.origin import absolute_url
from sitecache.pages import cache_public_page

from . import comparisons
from . import search as site_search
from .filters import ConditionFilter
from .forms import SearchForm
from .glossary import PageTerms
from .languages import HTML_LANG, alternates_for
from .models import (
    QUESTIONS_HEADING,
    Alias,
    Condition,
    ConditionMechanism,
    GlossaryTerm,
    Mechanism,
    Status,
    Symptom,
    Treatment,
    active_language,
)
from .pagination import InvalidPage, page_of

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,160}")
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


@cache_public_page(
    parameters=[*ConditionFilter.base_filters, "page"],
    headers={PARTIAL_HEADER: ["results"]},
    free_text=["q"],
)
@require_safe
@vary_on_headers(PARTIAL_HEADER)
def condition_list(request):
    # The form without JavaScript sends every field, empty ones too: answer with the same
    # list at its canonical address, so the URL carries only what was chosen.
    declared = [*ConditionFilter.base_filters, "page"]
    if any(value == "" for name in declared for value in request.GET.getlist(name)):
        kept = [
            (name, value)
            for name, values in request.GET.lists()
            for value in values
            if value != "" or name not in declared
        ]
        return redirect(f"{request.path}?{urlencode(kept)}" if kept else request.path)
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
        "comparisons": comparisons.curated_with(condition.slug),
        "page_terms": PageTerms(
            subject_names=[condition.name, *(alias.name for alias in condition.aliases.all())]
        ),
        "structured_data": condition_structured_data(request, condition),
        "diagram_patterns": [
            pattern.slug
            for pattern in condition.patterns.all()
            if pattern.slug in DIAGRAMMED_PATTERNS
        ],
    }
    return render(request, "conditions/condition_detail.html", context)


# The appointment pack's own policy: the site's, but nothing may be fetched or submitted from
# it, so the diary kept in the browser cannot be sent anywhere, even by a mistake in a script.
PACK_CSP = {
    **settings.SECURE_CSP,
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "connect-src": [CSP.NONE],
    "form-action": [CSP.NONE],
}
TIMELINE_PROMPTS = [
    "When did it start, and what was the first thing you noticed?",
    "How did it spread or change, and how fast (hours, days, weeks, months)?",
    "What makes it worse, and what makes it better?",
    "Did anything happen in the weeks before it began (an infection, a vaccine, a new medicine)?",
]
GENERAL_QUESTIONS = [
    "What do you think is causing my symptoms?",
    "Which tests do I need, and what will they show?",
    "What treatment do you suggest, and what are the side effects?",
    "Which symptoms mean I should get help straight away?",
    "When will I be seen again?",
]


@cache_public_page(parameters=[])
@require_safe
def condition_pack(request, slug):
    """A printable appointment pack for a published condition, with the private diary."""
    condition = get_object_or_404(
        Condition.objects.published().only(
            "name",
            "slug",
            "summary",
            "questions_for_doctor",
            "help_emergency",
            "help_same_day",
            "help_routine",
            "status",
        ),
        slug=slug,
    )
    own = markdown_list_items(condition.questions_for_doctor)
    context = {
        "condition": condition,
        "questions": own + [q for q in GENERAL_QUESTIONS if q not in own],
        "help_levels": condition.labelled_help_levels(),
        "timeline_prompts": TIMELINE_PROMPTS,
        "blank_rows": range(8),
    }
    response = render(request, "conditions/condition_pack.html", context)
    response.headers[str(CSP.HEADER_ENFORCE)] = build_policy(PACK_CSP)
    return response


@cache_public_page(parameters=[])
@require_safe
def condition_questions(request, slug):
    """A published condition's questions for the doctor, to print with space for the answers."""
    condition = get_object_or_404(Condition.objects.published(), slug=slug)
    questions = markdown_list_items(condition.questions_for_doctor)
    if not questions:
        raise Http404("This condition has no questions for the doctor.")
    return render(
        request,
        "conditions/condition_questions.html",
        {"condition": condition, "questions": questions},
    )


def markdown_list_items(text):
    """The items of a Markdown list as plain text, one per line (other lines are skipped)."""
    items = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped[:2] in ("- ", "* ", "+ "):
            items.append(markdown_to_text(stripped[2:]))
        elif stripped[:1].isdigit() and ". " in stripped[:5]:
            items.append(markdown_to_text(stripped.split(". ", 1)[1]))
    return [item for item in items if item]


def condition_structured_data(request, condition):
    """schema.org MedicalCondition inside a MedicalWebPage, for search engines."""
    url = absolute_url(condition.get_absolute_url())
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
        "page_terms": PageTerms(subject_names=[mechanism.name]),
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
    page_terms = PageTerms(subject_names=[symptom.name, symptom.clinical_term])
    context = {
        "symptom": symptom,
        "preview": preview,
        "page_terms": page_terms,
        "alternates": alternates_for(symptom),
    }
    return render(request, "conditions/symptom_detail.html", context)


@cache_public_page(parameters=[])
@require_safe
def treatment_list(request):
    treatments = Treatment.objects.published().only("name", "slug", "kind", "summary", "status")
    return render(request, "conditions/treatment_list.html", {"treatments": treatments})


@cache_public_page(parameters=[])
@require_safe
def treatment_detail(request, slug, *, preview=False):
    """A published treatment's page; the admin previews any treatment through it (preview)."""
    treatments = Treatment.objects.all() if preview else Treatment.objects.published()
    treatment = get_object_or_404(treatments.with_page_relations(), slug=slug)
    return render(
        request,
        "conditions/treatment_detail.html",
        {"treatment": treatment, "preview": preview},
    )


def compared_conditions(slugs):
    """The published conditions to compare, in the order asked; InvalidComparison if not 2-3
    published ones. One set of queries whatever is asked (the look-up is capped)."""
    asked = list(dict.fromkeys(slug.strip() for slug in slugs if slug.strip()))
    # Only what could be a slug reaches the database (PostgreSQL refuses some characters).
    lookup = [slug for slug in asked[: comparisons.MAX_COMPARED + 1] if SLUG.fullmatch(slug)]
    found = {
        condition.slug: condition
        for condition in Condition.objects.published().with_details().filter(slug__in=lookup)
    }
    if len(asked) > comparisons.MAX_COMPARED + 1:
        found.update({slug: None for slug in asked if slug not in found})
    ordered = comparisons.parse(asked, {slug for slug, c in found.items() if c})
    return [found[slug] for slug in ordered]


@cache_public_page(parameters=["condition"])
@require_safe
def compare(request):
    """2 or 3 conditions side by side; without any, the comparisons people need most."""
    asked = request.GET.getlist("condition")
    context = {
        "curated": comparisons.CURATED,
        "choices": Condition.objects.for_list().order_by("name"),
        "asked": asked,
        "slots": range(comparisons.MAX_COMPARED),
    }
    if not any(slug.strip() for slug in asked):
        return render(request, "conditions/compare.html", context)
    try:
        conditions = compared_conditions(asked)
    except comparisons.InvalidComparison as invalid:
        context["errors"] = invalid.errors
        return render(request, "conditions/compare.html", context, status=400)
    context.update(
        conditions=conditions,
        # "A, B and C" in the reader's language, for the title and heading.
        names=get_text_list([c.name for c in conditions], gettext("and")),
        rows=comparisons.rows(conditions),
        curated_match=comparisons.curated_for(c.slug for c in conditions),
    )
    return render(request, "conditions/compare.html", context)


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
    # One query per kind: a UNION cannot order or fall back across translated columns.
    kinds = (
        (Mechanism.objects.only("slug", "name"), gettext("How nerves are damaged")),
        (Symptom.objects.only("slug", "name"), gettext("Symptom")),
        (Treatment.objects.only("slug", "name"), gettext("Treatment")),
    )
    for items, label in kinds:
        entries += [
            {"name": item.name, "url": item.get_absolute_url(), "kind": label}
            for item in items.published()
        ]
    entries += [
        {"name": term.term, "url": term.get_absolute_url(), "kind": gettext("What a word means")}
        for term in GlossaryTerm.objects.published().only("slug", "term")
    ]
    letters = by_letter(entries, lambda entry: entry["name"])
    return render(request, "conditions/a_to_z.html", {"letters": letters})


def by_letter(items, name):
    """[(letter, items)] in alphabetical order of name(item), "#" for what starts otherwise."""
    # In the alphabet of the language being served (ñ after n in Spanish).
    language = active_language()
    items = sorted(
        items,
        key=lambda item: (
            site_search.collation_key(first_letter(name(item)), language),
            site_search.collation_key(name(item), language),
        ),
    )
    return [
        (letter, list(group))
        for letter, group in groupby(items, key=lambda i: first_letter(name(i)))
    ]


@cache_public_page(parameters=[])
@require_safe
def glossary(request):
    """Every published glossary term with its definition, by letter."""
    terms = GlossaryTerm.objects.published()
    return render(
        request, "conditions/glossary.html", {"letters": by_letter(terms, lambda t: t.term)}
    )


@cache_public_page(parameters=[])
@require_safe
def glossary_term(request, slug):
    term = get_object_or_404(GlossaryTerm.objects.published(), slug=slug)
    return render(request, "conditions/glossary_term.html", {"term": term})


@cache_public_page(parameters=["q"], free_text=["q"])
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
        site_search.TREATMENT: Treatment.objects.published(),
        site_search.GLOSSARY: GlossaryTerm.objects.published(),
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
    return render(
        request,
        "pages/about.html",
        {"licence": settings.CONTENT_LICENCE, "site_name": settings.SITE_NAME},
    )


@cache_public_page(parameters=[])
@require_safe
def disclaimer(request):
    return render(request, "pages/disclaimer.html")


@require_safe
def robots_txt(request):
    sitemap_url = absolute_url(reverse("sitemap"))
    # The admin's address is deliberately not listed: naming it here would advertise it.
    lines = ["User-agent: *", "Allow: /", f"Sitemap: {sitemap_url}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
