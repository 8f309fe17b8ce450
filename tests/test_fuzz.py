"""Bad input never breaks anything: property tests over every public URL and parameter.

Whatever arrives (very long strings, any Unicode, NUL bytes, SQL and HTML fragments, repeated
and array-style parameters, negative or huge page numbers, bad slugs), the HTML site and the
API answer 200, 400 or 404 (a 301 only for a missing slash), never a 5xx, and a 4xx from the
API is JSON. Bounded and derandomised: the same examples every run, well under a minute.
"""

from urllib.parse import quote

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conditions.api.lookup import INFOBUTTON_CODE, INFOBUTTON_SYSTEM

FUZZ = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    # The content and client fixtures are read-only here, so sharing them is safe.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "%00",
    "' OR '1'='1",
    "1; DROP TABLE conditions_condition; --",
    '" onmouseover="alert(1)',
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "{{ 7*7 }}{% debug %}",
    "../../../../etc/passwd",
    "\r\nSet-Cookie: hacked=1",
    "\u202egnp.exe",
    "\ufeff",
    "ǅ𝕏😀\u0301",
    "-1",
    "0",
    "1.5",
    "1e309",
    "NaN",
    "-0",
    "99999999999999999999999999999999",
    "x" * 5000,
    "é" * 2000,
    "acute",
    "chronic",
    "true",
    "name",
    "-updated",
]

# Any Unicode the client can send (UTF-8 cannot encode lone surrogates), short or very long.
any_text = st.one_of(
    st.sampled_from(NASTY),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=60),
    st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=3).map(
        lambda s: s * 1500
    ),
)
page_numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.integers(min_value=-3, max_value=5).map(str),
    any_text,
)


def query(names):
    """A query string over `names` plus strangers: repeated, array-style, oddly named keys."""
    name = st.one_of(
        st.sampled_from(names),
        st.sampled_from(names).map(lambda n: f"{n}[]"),
        st.sampled_from(names).map(lambda n: f"{n}[0]"),
        any_text.filter(bool),
    )
    return st.dictionaries(name, st.lists(any_text, min_size=1, max_size=3), max_size=5)


def with_page(params_strategy):
    return st.tuples(params_strategy, page_numbers).map(lambda p: {**p[0], "page": [p[1]]})


HTML_LIST_PARAMETERS = [
    "q",
    "mechanism",
    "symptom",
    "onset",
    "pattern",
    "fibre",
    "frequency",
    "emergency",
    "sort",
    "page",
]
API_LIST_PARAMETERS = [*HTML_LIST_PARAMETERS[:-2], "ordering", "page", "page_size"]
LOOKUP_PARAMETERS = [
    "system",
    "code",
    INFOBUTTON_SYSTEM,
    INFOBUTTON_CODE,
    "knowledgeResponseType",
    "mainSearchCriteria.v.dn",
    "informationRecipient",
    "informationRecipient.languageCode.c",
]

HTML_PAGES = [
    "conditions:home",
    "conditions:condition-list",
    "conditions:mechanism-list",
    "conditions:symptom-list",
    "conditions:a-to-z",
    "conditions:search",
    "conditions:about",
    "conditions:disclaimer",
]
HTML_DETAIL_PREFIXES = ["/conditions/", "/mechanisms/", "/symptoms/"]
API_LISTS = ["api:condition-list", "api:mechanism-list", "api:symptom-list"]
API_DETAIL_PREFIXES = ["/api/v1/conditions/", "/api/v1/mechanisms/", "/api/v1/symptoms/"]

OK = {200, 400, 404}


def assert_handled(response, allowed=OK):
    assert response.status_code in allowed, (response.status_code, response.request)


def assert_api_handled(response, allowed=OK):
    assert_handled(response, allowed)
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/json"
        assert response.json()["status"] == response.status_code


@pytest.fixture
def site(client, content):
    return client


@pytest.mark.django_db
@FUZZ
@given(page=st.sampled_from(HTML_PAGES), params=with_page(query(HTML_LIST_PARAMETERS)))
def test_html_pages_handle_any_query_string(site, page, params):
    # The condition list redirects a query with empty values to its canonical address.
    redirects = {302} if page == "conditions:condition-list" else set()
    assert_handled(site.get(reverse(page), params), OK | redirects)


@pytest.mark.django_db
@FUZZ
@given(params=with_page(query(HTML_LIST_PARAMETERS)))
def test_condition_list_filters_handle_any_values(site, params):
    response = site.get(reverse("conditions:condition-list"), params)
    # Empty values redirect to the list's canonical address without them, once.
    assert_handled(response, OK | {302})
    if response.status_code == 302:
        assert_handled(site.get(response["Location"]))
    if response.status_code == 400:
        # A clear 400 says, on the page, that a parameter was not understood.
        assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
@FUZZ
@given(q=any_text)
def test_search_handles_any_query(site, q):
    assert_handled(site.get(reverse("conditions:search"), {"q": q}))


@pytest.mark.django_db
@FUZZ
@given(prefix=st.sampled_from(HTML_DETAIL_PREFIXES), slug=any_text, slash=st.booleans())
def test_html_detail_pages_handle_any_slug(site, prefix, slug, slash):
    path = prefix + quote(slug, safe="") + ("/" if slash else "")
    assert_handled(site.get(path), OK | {301})


@pytest.mark.django_db
@FUZZ
@given(endpoint=st.sampled_from(API_LISTS), params=with_page(query(API_LIST_PARAMETERS)))
def test_api_lists_handle_any_query_string(site, endpoint, params):
    assert_api_handled(site.get(reverse(endpoint), params))


@pytest.mark.django_db
@FUZZ
@given(
    endpoint=st.sampled_from(API_LISTS),
    page=page_numbers,
    page_size=page_numbers,
    ordering=any_text,
)
def test_api_pagination_and_ordering_handle_any_values(site, endpoint, page, page_size, ordering):
    params = {"page": page, "page_size": page_size, "ordering": ordering}
    assert_api_handled(site.get(reverse(endpoint), params))


@pytest.mark.django_db
@FUZZ
@given(prefix=st.sampled_from(API_DETAIL_PREFIXES), slug=any_text, params=query(["x"]))
def test_api_details_handle_any_slug_and_query(site, prefix, slug, params):
    path = prefix + quote(slug, safe="") + "/"
    assert_api_handled(site.get(path, params))


@pytest.mark.django_db
@FUZZ
@given(params=query(LOOKUP_PARAMETERS))
def test_api_lookup_handles_any_query_string(site, params):
    # An unsupported knowledgeResponseType is a 406 naming the supported ones.
    assert_api_handled(site.get(reverse("api:lookup"), params), OK | {406})


@pytest.mark.django_db
@FUZZ
@given(params=query(["since", "page_size"]))
def test_api_changes_handle_any_query_string(site, params):
    assert_api_handled(site.get(reverse("api:changes"), params))


@pytest.mark.django_db
@FUZZ
@given(path=any_text)
def test_unknown_paths_are_404(site, path):
    for prefix in ("/", "/api/", "/api/v1/"):
        response = site.get(prefix + quote(path, safe="/"))
        assert_handled(response, OK | {301})
