"""Contract tests for the public JSON API: shapes, filters, errors and HTTP behaviour."""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conditions import models, search
from conditions.filters import ConditionFilter
from tests import factories

pytestmark = pytest.mark.django_db

LIST_FIELDS = {
    "slug",
    "name",
    "aliases",
    "summary",
    "url",
    "other_languages",
    "onset",
    "patterns",
    "fibres",
    "neuropathy_frequency",
    "emergency",
    "mechanisms",
    "treatments",
    "symptoms",
    "codes",
    "crosswalk",
    "references",
    "review",
}


@pytest.fixture
def lupus():
    mechanism = factories.MechanismFactory(name="Immune complexes", slug="immune-complexes")
    hidden_mechanism = factories.MechanismFactory(
        name="Secret draft", slug="secret-draft", status=models.Status.DRAFT
    )
    symptom = factories.SymptomFactory(
        name="pins and needles", slug="pins-and-needles", clinical_term="paraesthesia"
    )
    code = factories.ClinicalCodeFactory(code="M32.14", display="Glomerular disease in SLE")
    condition = factories.ConditionFactory(
        name="Lupus",
        slug="lupus",
        onset=models.Onset.SUBACUTE,
        is_emergency=True,
        emergency_warning="Call 999 if your legs get weak fast.",
        overview="Lupus is **common** <script>alert(1)</script>",
        codes=[code],
    )
    condition.symptoms.add(symptom)
    condition.patterns.add(models.NeuropathyPattern.objects.get(slug="mononeuritis-multiplex"))
    models.Alias.objects.create(condition=condition, name="SLE", is_abbreviation=True)
    models.ConditionMechanism.objects.create(
        condition=condition, mechanism=mechanism, evidence=models.Evidence.STRONG
    )
    models.ConditionMechanism.objects.create(
        condition=condition,
        mechanism=hidden_mechanism,
        role=models.Role.SECONDARY,
        evidence=models.Evidence.LIMITED,
    )
    draft_relative = factories.ConditionFactory(
        name="Draft relative", slug="draft-relative", status=models.Status.DRAFT
    )
    published_relative = factories.ConditionFactory(name="Sjogren", slug="sjogren")
    condition.related_conditions.add(draft_relative, published_relative)
    return condition


def slugs(response):
    return [item["slug"] for item in response.json()["results"]]


# Contract: the shapes the issue promises.


def test_condition_list_carries_every_promised_field(client, lupus):
    response = client.get("/api/v1/conditions/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    item = next(item for item in body["results"] if item["slug"] == "lupus")
    assert set(item) == LIST_FIELDS
    assert item["url"] == "http://testserver/conditions/lupus/"
    assert item["aliases"] == ["SLE"]
    assert item["onset"] == "subacute"
    assert item["fibres"] == ["sensory"]
    assert item["patterns"][0]["slug"] == "mononeuritis-multiplex"
    assert item["emergency"] == {
        "flag": True,
        "warning": "Call 999 if your legs get weak fast.",
        "warning_html": "<p>Call 999 if your legs get weak fast.</p>",
    }
    assert item["symptoms"] == [
        {"slug": "pins-and-needles", "name": "pins and needles", "clinical_term": "paraesthesia"}
    ]
    assert item["codes"] == [
        {"system": "icd10cm", "code": "M32.14", "display": "Glomerular disease in SLE"}
    ]
    assert item["references"][0]["url"].startswith("https://")


def test_unpublished_mechanisms_and_relatives_never_appear(client, lupus):
    detail = client.get("/api/v1/conditions/lupus/").json()
    assert [m["slug"] for m in detail["mechanisms"]] == ["immune-complexes"]
    assert detail["mechanisms"][0] == {
        "slug": "immune-complexes",
        "name": "Immune complexes",
        "role": "primary",
        "evidence": "strong",
    }
    assert [c["slug"] for c in detail["related_conditions"]] == ["sjogren"]
    listed = client.get("/api/v1/conditions/").json()["results"]
    assert "draft-relative" not in [c["slug"] for c in listed]
    assert client.get("/api/v1/conditions/draft-relative/").status_code == 404
    assert client.get("/api/v1/mechanisms/secret-draft/").status_code == 404
    assert "secret-draft" not in slugs(client.get("/api/v1/mechanisms/"))
    mechanism = client.get("/api/v1/mechanisms/immune-complexes/").json()
    assert [c["slug"] for c in mechanism["conditions"]] == ["lupus"]
    symptom = client.get("/api/v1/symptoms/pins-and-needles/").json()
    assert [c["slug"] for c in symptom["conditions"]] == ["lupus"]


@pytest.mark.parametrize("status", [models.Status.DRAFT, models.Status.IN_REVIEW, "archived"])
def test_unpublished_condition_is_invisible_everywhere(client, lupus, status):
    models.Condition.objects.filter(slug="lupus").update(status=status)
    assert "lupus" not in slugs(client.get("/api/v1/conditions/"))
    assert client.get("/api/v1/conditions/lupus/").status_code == 404
    assert client.get("/api/v1/symptoms/pins-and-needles/").json()["conditions"] == []
    lookup = client.get("/api/v1/lookup/", {"system": "icd10cm", "code": "M32.14"})
    assert lookup.json()["results"] == []


def test_condition_detail_gives_each_section_as_safe_html_and_text(client, lupus):
    detail = client.get("/api/v1/conditions/lupus/").json()
    assert set(detail) == LIST_FIELDS | {"sections", "related_conditions"}
    sections = {section["key"]: section for section in detail["sections"]}
    written = [key for key, _ in models.CONDITION_SECTIONS]
    assert written == list(sections)[: len(written)]
    overview = sections["overview"]
    assert overview["heading"] == "What it is"
    assert "<strong>common</strong>" in overview["html"]
    assert "<script" not in overview["html"]
    assert overview["text"].startswith("Lupus is common")
    assert "<" not in overview["text"]


def test_mechanism_and_symptom_endpoints(client, lupus):
    mechanisms = client.get("/api/v1/mechanisms/").json()
    assert slugs_of(mechanisms) == ["immune-complexes"]
    detail = client.get("/api/v1/mechanisms/immune-complexes/").json()
    assert detail["explanation"]["text"] == "Immune cells attack the nerve."
    assert detail["url"] == "http://testserver/mechanisms/immune-complexes/"
    symptoms = client.get("/api/v1/symptoms/").json()
    assert slugs_of(symptoms) == ["pins-and-needles"]
    assert client.get("/api/v1/symptoms/nope/").json() == {
        "status": 404,
        "detail": "No Symptom matches the given query.",
    }


def slugs_of(body):
    return [item["slug"] for item in body["results"]]


# Filters: the same FilterSet as the HTML list.


@pytest.fixture
def varied_conditions(lupus):
    factories.ConditionFactory(
        name="Guillain-Barre syndrome",
        slug="gbs",
        onset=models.Onset.ACUTE,
        affects_motor=True,
        affects_sensory=False,
        neuropathy_frequency=models.Frequency.COMMON,
    )
    factories.ConditionFactory(name="Vasculitis", slug="vasculitis", affects_autonomic=True)
    factories.ConditionFactory(name="Hidden", slug="hidden", status=models.Status.DRAFT)


PARITY_QUERIES = [
    {},
    {"onset": "acute"},
    {"onset": "chronic"},
    {"fibre": ["motor", "autonomic"]},
    {"frequency": "common"},
    {"emergency": "true"},
    {"emergency": "false"},
    {"mechanism": "immune-complexes"},
    {"symptom": "pins-and-needles"},
    {"pattern": "mononeuritis-multiplex"},
    {"q": "lupus"},
    {"q": "SLE"},
    {"q": "syndrome", "fibre": "motor"},
]


@pytest.mark.parametrize("query", PARITY_QUERIES)
def test_api_list_matches_the_shared_filterset(client, varied_conditions, query):
    response = client.get("/api/v1/conditions/", query)
    assert response.status_code == 200
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for key, value in query.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    filterset = ConditionFilter(data, queryset=models.Condition.objects.published())
    assert filterset.is_valid()
    assert set(slugs(response)) == {c.slug for c in filterset.qs}
    assert "hidden" not in slugs(response)


@pytest.mark.parametrize("query", PARITY_QUERIES)
def test_api_list_matches_the_html_list(client, varied_conditions, query):
    html = client.get("/conditions/", query)
    assert html.status_code == 200
    api_slugs = set(slugs(client.get("/api/v1/conditions/", {**query, "page_size": 100})))
    linked = set(re.findall(r'href="/conditions/([a-z0-9-]+)/"', html.content.decode()))
    assert api_slugs <= linked
    # Links to conditions outside the result list (e.g. navigation) must not be results.
    hidden = {c.slug for c in models.Condition.objects.exclude(slug__in=api_slugs)}
    assert not (linked & hidden) or query == {}


def test_ordering(client, varied_conditions):
    by_name = slugs(client.get("/api/v1/conditions/", {"ordering": "name"}))
    assert by_name == ["gbs", "lupus", "sjogren", "vasculitis"]
    assert slugs(client.get("/api/v1/conditions/", {"ordering": "-name"})) == by_name[::-1]
    newest = slugs(client.get("/api/v1/conditions/", {"ordering": "-updated"}))
    assert newest == [c.slug for c in models.Condition.objects.published().order_by("-updated")]


# A search: best match first in the API as on the HTML list, unless an order is asked for.

SEARCHES = ["lupus", "nerve", "vasculitis", "immune", "syndrome", "gbs", "numbness feet"]


def ranked_slugs(query):
    """The search's own order (tests/test_search.py holds it to account), for conditions."""
    ranked = [document.pk for _, document in search.search(query, kinds={search.CONDITION})]
    slug_of = dict(models.Condition.objects.filter(pk__in=ranked).values_list("pk", "slug"))
    return [slug_of[pk] for pk in ranked]


def html_slugs(client, query):
    response = client.get("/conditions/", query)
    assert response.status_code == 200
    return [condition.slug for condition in response.context["page"].object_list]


def test_api_search_is_best_match_first(client, content):
    found = slugs(client.get("/api/v1/conditions/", {"q": "lupus"}))
    assert found[0] == "systemic-lupus-erythematosus"
    assert len(found) > 1


@pytest.mark.parametrize("query", SEARCHES)
def test_api_and_html_list_give_a_search_in_the_same_order(client, content, query):
    expected = ranked_slugs(query)[:20]
    assert expected
    assert slugs(client.get("/api/v1/conditions/", {"q": query})) == expected
    assert html_slugs(client, {"q": query}) == expected


@pytest.fixture
def many_matches(db):
    """24 matches of "vasculitis" whose rank order is not their alphabetical order."""
    for number in range(1, 13):
        onset = models.Onset.ACUTE if number % 2 else models.Onset.CHRONIC
        factories.ConditionFactory(name=f"Vasculitis type {number:02}", onset=onset)
        factories.ConditionFactory(
            name=f"Aaa {number:02}", overview="Can look like vasculitis.", onset=onset
        )


def test_the_same_order_when_other_filters_narrow_a_search(client, many_matches):
    query = {"q": "vasculitis", "onset": "acute"}
    acute = set(models.Condition.objects.filter(onset="acute").values_list("slug", flat=True))
    expected = [slug for slug in ranked_slugs("vasculitis") if slug in acute]
    assert len(expected) == 12
    assert slugs(client.get("/api/v1/conditions/", query)) == expected
    assert html_slugs(client, query) == expected


@pytest.mark.parametrize("order", ["name", "-name"])
def test_an_explicit_order_overrides_relevance(client, content, order):
    matches = ranked_slugs("vasculitis")
    by_name = list(
        models.Condition.objects.filter(slug__in=matches)
        .order_by(order)
        .values_list("slug", flat=True)
    )
    assert by_name != matches
    api = client.get("/api/v1/conditions/", {"q": "vasculitis", "ordering": order})
    assert slugs(api) == by_name
    assert html_slugs(client, {"q": "vasculitis", "sort": order}) == by_name


def test_ordering_by_last_update_overrides_relevance(client, content):
    matches = ranked_slugs("vasculitis")
    touched = models.Condition.objects.get(slug=matches[-1])
    touched.save()  # now the most recently updated match
    api = slugs(client.get("/api/v1/conditions/", {"q": "vasculitis", "ordering": "-updated"}))
    html = html_slugs(client, {"q": "vasculitis", "sort": "-updated"})
    assert api[0] == html[0] == touched.slug
    assert set(api) == set(html) == set(matches)


def test_search_results_are_paginated_in_rank_order(client, many_matches):
    ranked = ranked_slugs("vasculitis")
    assert len(ranked) == 24
    named = models.Condition.objects.filter(name__startswith="Vasculitis")
    # Names first, though every "Aaa …" comes before them A to Z: pages cut across both.
    assert set(ranked[:12]) == set(named.values_list("slug", flat=True))
    api = "/api/v1/conditions/"
    first = client.get(api, {"q": "vasculitis", "page_size": 10}).json()
    assert first["count"] == 24
    assert [item["slug"] for item in first["results"]] == ranked[:10]
    assert first["next"].endswith("page=2&page_size=10&q=vasculitis")
    second = client.get(api, {"q": "vasculitis", "page_size": 10, "page": 2})
    assert slugs(second) == ranked[10:20]
    last = client.get(api, {"q": "vasculitis", "page_size": 10, "page": 3}).json()
    assert [item["slug"] for item in last["results"]] == ranked[20:]
    assert last["next"] is None
    assert client.get(api, {"q": "vasculitis", "page_size": 10, "page": 4}).status_code == 404

    page_two = client.get("/conditions/", {"q": "vasculitis", "page": 2})
    assert page_two.context["page"].paginator.count == 24
    assert [c.slug for c in page_two.context["page"].object_list] == ranked[20:]
    assert "24 conditions found" in page_two.content.decode()
    assert client.get("/conditions/", {"q": "vasculitis", "page": 3}).status_code == 404


# Invalid input: a 400 naming the parameter and what it accepts, never a 500.


@pytest.mark.parametrize(
    ("query", "parameter", "accepted"),
    [
        ({"onset": "banana"}, "onset", ["acute", "subacute", "chronic"]),
        ({"fibre": "elbow"}, "fibre", ["sensory", "motor", "autonomic"]),
        ({"frequency": "often"}, "frequency", ["common", "occasional", "rare"]),
        ({"emergency": "yes"}, "emergency", ["true", "false"]),
        ({"mechanism": "secret-draft"}, "mechanism", ["immune-complexes"]),
        ({"ordering": "summary"}, "ordering", ["name", "-name", "updated", "-updated"]),
        ({"page": "abc"}, "page", None),
        ({"page": "0"}, "page", None),
        ({"page_size": "101"}, "page_size", None),
        ({"page_size": "ten"}, "page_size", None),
        ({"q": "x" * 201}, "q", None),
        ({"onest": "acute"}, "onest", None),
        ({"sort": "name"}, "sort", None),
    ],
)
def test_invalid_parameters_give_a_400_naming_them(client, lupus, query, parameter, accepted):
    response = client.get("/api/v1/conditions/", query)
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400
    assert parameter in body["detail"]
    assert list(body["errors"]) == [parameter]
    assert body["errors"][parameter]
    assert body["accepted"][parameter]
    if accepted is not None:
        assert body["accepted"][parameter] == accepted


def test_unknown_parameter_lists_the_accepted_parameters(client, lupus):
    body = client.get("/api/v1/conditions/", {"onest": "acute"}).json()
    assert "onset" in body["accepted"]["onest"]
    assert client.get("/api/v1/conditions/lupus/", {"x": "1"}).status_code == 400


def test_a_detail_takes_no_list_filters(client, lupus):
    # Retrieve skips the FilterSet: a list parameter sent to it is refused, never applied.
    response = client.get("/api/v1/conditions/lupus/", {"onset": "acute", "ordering": "name"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"onset", "ordering"}


def test_pagination(client, lupus):
    factories.ConditionFactory.create_batch(4)
    first = client.get("/api/v1/conditions/", {"page_size": 2}).json()
    assert first["count"] == 6
    assert len(first["results"]) == 2
    assert first["previous"] is None
    assert first["next"].endswith("page=2&page_size=2")
    last = client.get("/api/v1/conditions/", {"page_size": 2, "page": 3}).json()
    assert last["next"] is None
    past_end = client.get("/api/v1/conditions/", {"page_size": 2, "page": 4})
    assert past_end.status_code == 404
    assert past_end.json()["status"] == 404


def test_unknown_api_paths_are_json_404s(client):
    response = client.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json()["status"] == 404
    assert client.get("/api/v1/conditions").status_code == 301


# HTTP behaviour.


def test_etag_gives_304_when_unchanged(client, lupus, django_capture_on_commit_callbacks):
    first = client.get("/api/v1/conditions/lupus/")
    assert first["ETag"]
    assert "public" in first["Cache-Control"]
    assert "max-age=" in first["Cache-Control"]
    again = client.get("/api/v1/conditions/lupus/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    # Saved, not QuerySet.update(): edits reach caches through the save signals.
    lupus.summary = "A new summary."
    with django_capture_on_commit_callbacks(execute=True):
        lupus.save()
    changed = client.get("/api/v1/conditions/lupus/", headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize(
    "url", ["/api/v1/conditions/", "/api/v1/conditions/lupus/", "/api/v1/lookup/"]
)
def test_write_methods_are_405_json(client, lupus, method, url):
    response = getattr(client, method)(url, data={}, content_type="application/json")
    assert response.status_code == 405
    assert response.json()["status"] == 405
    assert "POST" not in response["Allow"]


def test_head_and_options_work(client, lupus):
    head = client.head("/api/v1/conditions/")
    assert head.status_code == 200
    assert head.content == b""
    options = client.options("/api/v1/conditions/")
    assert options.status_code == 200
    assert "GET" in options["Allow"]


def test_cors_allows_get_from_any_origin_on_the_api_only(client, lupus):
    origin = {"origin": "https://ehr.example.org"}
    response = client.get("/api/v1/conditions/", headers=origin)
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/v1/conditions/",
        headers={**origin, "access-control-request-method": "GET"},
    )
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Origin" not in client.get("/conditions/", headers=origin)


def test_throttling_gives_429_json_with_retry_after(client, settings, lupus):
    from django.core.cache import cache

    cache.clear()
    settings.API_THROTTLE_RATE = "3/minute"
    # Distinct URLs: a repeated one would be a page-cache hit, answered before the throttle
    # (the throttle guards the work a request costs the server, and a hit costs almost none).
    for url in ["/api/v1/conditions/", "/api/v1/conditions/lupus/", "/api/v1/mechanisms/"]:
        assert client.get(url).status_code == 200
    response = client.get("/api/v1/symptoms/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    body = response.json()
    assert body["status"] == 429
    assert body["retry_after"] == int(response["Retry-After"])
    cache.clear()


def test_forged_forwarded_for_values_share_one_throttle_allowance(client, settings, lupus):
    from django.core.cache import cache

    cache.clear()
    settings.API_THROTTLE_RATE = "3/minute"
    settings.TRUSTED_PROXY_COUNT = 0
    urls = ["/api/v1/conditions/", "/api/v1/conditions/lupus/", "/api/v1/mechanisms/"]
    for number, url in enumerate(urls):
        forged = {"X-Forwarded-For": f"203.0.113.{number}"}
        assert client.get(url, headers=forged).status_code == 200
    response = client.get("/api/v1/symptoms/", headers={"X-Forwarded-For": "203.0.113.99"})
    assert response.status_code == 429
    cache.clear()


def test_throttle_trusts_only_the_configured_proxies_entry(client, settings, lupus):
    from django.core.cache import cache

    cache.clear()
    settings.API_THROTTLE_RATE = "3/minute"
    settings.TRUSTED_PROXY_COUNT = 1
    # The proxy appends the address it saw; whatever the client put before it is ignored.
    urls = ["/api/v1/conditions/", "/api/v1/conditions/lupus/", "/api/v1/mechanisms/"]
    for number, url in enumerate(urls):
        chain = {"X-Forwarded-For": f"198.51.100.{number}, 203.0.113.7"}
        assert client.get(url, headers=chain).status_code == 200
    over = client.get("/api/v1/symptoms/", headers={"X-Forwarded-For": "203.0.113.7"})
    assert over.status_code == 429
    # Another client behind the same proxy has its own allowance.
    other = client.get("/api/v1/symptoms/", headers={"X-Forwarded-For": "203.0.113.8"})
    assert other.status_code == 200
    cache.clear()


# Performance: a constant number of queries, however many conditions.


def make_conditions(count, mechanism, symptom, reference, pattern):
    for _ in range(count):
        condition = factories.ConditionFactory(
            references=[reference], codes=[factories.ClinicalCodeFactory()]
        )
        condition.symptoms.add(symptom)
        condition.patterns.add(pattern)
        models.Alias.objects.create(condition=condition, name=f"alias of {condition.slug}")
        models.ConditionMechanism.objects.create(
            condition=condition, mechanism=mechanism, evidence=models.Evidence.STRONG
        )


QUERY_COUNTED_URLS = [
    "/api/v1/conditions/?page_size=100",
    "/api/v1/conditions/?page_size=100&mechanism=shared&fibre=sensory&q=condition",
    "/api/v1/lookup/?system=icd10cm&code=G60",
    "/api/v1/mechanisms/shared/",
]


def test_query_count_does_not_grow_with_content(client, django_capture_on_commit_callbacks):
    shared = {
        "mechanism": factories.MechanismFactory(slug="shared"),
        "symptom": factories.SymptomFactory(),
        "reference": factories.ReferenceFactory(),
        "pattern": models.NeuropathyPattern.objects.first(),
    }
    counts = {url: [] for url in QUERY_COUNTED_URLS}
    # The content is built once for every URL (200 conditions through the ORM is slow).
    for added in (10, 190):
        with django_capture_on_commit_callbacks(execute=True):
            make_conditions(added, **shared)
        for url in QUERY_COUNTED_URLS:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, url
            counts[url].append(len(queries))
    assert models.Condition.objects.count() == 200
    for url, (at_10, at_200) in counts.items():
        assert at_10 == at_200, (url, at_10, at_200)


# OpenAPI document and docs page.


def test_schema_validates_without_warnings():
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_schema_documents_parameters_enums_and_errors(client, lupus):
    schema = client.get("/api/schema/", headers={"accept": "application/json"}).json()
    operation = schema["paths"]["/api/v1/conditions/"]["get"]
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
    assert set(parameters) == {
        "q",
        "mechanism",
        "symptom",
        "treatment",
        "onset",
        "pattern",
        "fibre",
        "frequency",
        "emergency",
        "ordering",
        "page",
        "page_size",
        "lang",
    }
    assert parameters["page_size"]["schema"]["maximum"] == 100
    assert parameters["mechanism"]["schema"]["items"]["enum"] == ["immune-complexes"]
    for path in schema["paths"].values():
        for operation in path.values():
            assert {"400", "404", "405", "429"} <= set(operation["responses"])
    lookup = schema["paths"]["/api/v1/lookup/"]["get"]
    lookup_parameters = {parameter["name"] for parameter in lookup["parameters"]}
    assert lookup_parameters == {
        "system",
        "code",
        "mainSearchCriteria.v.c",
        "mainSearchCriteria.v.cs",
        "mainSearchCriteria.v.dn",
        "informationRecipient",
        "informationRecipient.languageCode.c",
        "knowledgeResponseType",
        "lang",
    }


def test_docs_page_loads_nothing_from_another_host(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui-bundle.js" in html
    addresses = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert addresses
    assert all(address.startswith("/") for address in addresses), addresses
    assert "//" not in "".join(address[1:] for address in addresses)


def test_every_published_fixture_condition_is_served_and_found_by_its_codes(client, content):
    published = models.Condition.objects.published().prefetch_related("codes")
    assert published
    listed = slugs(client.get("/api/v1/conditions/", {"page_size": 100}))
    assert set(listed) == {condition.slug for condition in published}
    for condition in published:
        assert client.get(f"/api/v1/conditions/{condition.slug}/").status_code == 200
        for code in condition.codes.all():
            found = client.get("/api/v1/lookup/", {"system": code.system, "code": code.code})
            assert condition.slug in [result["slug"] for result in found.json()["results"]]
