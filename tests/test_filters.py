"""/conditions/ filters: each parameter, combinations, sorting, pagination and invalid values."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conditions.models import ConditionMechanism, Evidence, Frequency, NeuropathyPattern, Onset
from conditions.pagination import CONDITIONS_PER_PAGE
from tests.factories import ConditionFactory, MechanismFactory, SymptomFactory

URL = "/conditions/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def catalogue(db):
    """Four conditions with distinct traits, so each filter picks a known subset."""
    attack, vessels = MechanismFactory(slug="attack"), MechanismFactory(slug="vessels")
    tingling, weakness = SymptomFactory(slug="tingling"), SymptomFactory(slug="weakness")
    patterns = {p.slug: p for p in NeuropathyPattern.objects.all()}
    acute = ConditionFactory(
        name="Alpha acute",
        onset=Onset.ACUTE,
        affects_motor=True,
        affects_sensory=False,
        neuropathy_frequency=Frequency.COMMON,
        is_emergency=True,
        emergency_warning="Call now.",
    )
    chronic = ConditionFactory(
        name="Beta chronic", onset=Onset.CHRONIC, neuropathy_frequency=Frequency.RARE
    )
    subacute = ConditionFactory(name="Gamma subacute", onset=Onset.SUBACUTE, affects_autonomic=True)
    plain = ConditionFactory(name="Delta plain", onset=Onset.CHRONIC)
    for condition, mechanism in [(acute, attack), (chronic, vessels), (subacute, attack)]:
        ConditionMechanism.objects.create(
            condition=condition, mechanism=mechanism, evidence=Evidence.STRONG
        )
    acute.symptoms.add(tingling, weakness)
    chronic.symptoms.add(tingling)
    subacute.symptoms.add(weakness)
    pattern_slugs = list(patterns)
    acute.patterns.add(patterns[pattern_slugs[0]])
    plain.patterns.add(patterns[pattern_slugs[1]])
    return {
        "acute": acute,
        "chronic": chronic,
        "subacute": subacute,
        "plain": plain,
        "patterns": pattern_slugs,
    }


def names(client, query):
    response = client.get(URL + query)
    assert response.status_code == 200, response.content.decode()[:2000]
    return [condition.name for condition in response.context["page"].object_list]


def test_unfiltered_list_is_alphabetical(client, catalogue):
    assert names(client, "") == ["Alpha acute", "Beta chronic", "Delta plain", "Gamma subacute"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?q=beta", ["Beta chronic"]),
        ("?q=BÉTA", ["Beta chronic"]),
        ("?mechanism=attack", ["Alpha acute", "Gamma subacute"]),
        ("?mechanism=attack&mechanism=vessels", ["Alpha acute", "Beta chronic", "Gamma subacute"]),
        ("?symptom=tingling", ["Alpha acute", "Beta chronic"]),
        ("?symptom=tingling&symptom=weakness", ["Alpha acute"]),
        ("?onset=acute", ["Alpha acute"]),
        ("?onset=chronic", ["Beta chronic", "Delta plain"]),
        ("?onset=subacute", ["Gamma subacute"]),
        ("?fibre=motor", ["Alpha acute"]),
        ("?fibre=autonomic", ["Gamma subacute"]),
        ("?fibre=motor&fibre=autonomic", ["Alpha acute", "Gamma subacute"]),
        ("?frequency=common", ["Alpha acute"]),
        ("?frequency=rare", ["Beta chronic"]),
        ("?frequency=occasional", ["Delta plain", "Gamma subacute"]),
        ("?emergency=true", ["Alpha acute"]),
        ("?emergency=false", ["Beta chronic", "Delta plain", "Gamma subacute"]),
        ("?sort=-name", ["Gamma subacute", "Delta plain", "Beta chronic", "Alpha acute"]),
        ("?sort=name", ["Alpha acute", "Beta chronic", "Delta plain", "Gamma subacute"]),
        ("?mechanism=attack&symptom=weakness&onset=subacute", ["Gamma subacute"]),
        ("?mechanism=attack&emergency=false&fibre=autonomic", ["Gamma subacute"]),
        ("?symptom=tingling&onset=acute&q=alpha", ["Alpha acute"]),
        ("?mechanism=vessels&onset=acute", []),
    ],
)
def test_each_filter_and_combinations(client, catalogue, query, expected):
    assert names(client, query) == expected


def test_pattern_filter(client, catalogue):
    first, second = catalogue["patterns"][:2]
    assert names(client, f"?pattern={first}") == ["Alpha acute"]
    assert names(client, f"?pattern={first}&pattern={second}") == ["Alpha acute", "Delta plain"]


def test_a_condition_matching_several_chosen_values_is_listed_once(client, catalogue):
    vessels = catalogue["chronic"].mechanisms.get()
    ConditionMechanism.objects.create(
        condition=catalogue["acute"], mechanism=vessels, evidence=Evidence.LIMITED
    )
    first, second = catalogue["patterns"][:2]
    catalogue["acute"].patterns.add(*NeuropathyPattern.objects.filter(slug__in=[first, second]))
    for query in [
        "?mechanism=attack&mechanism=vessels&onset=acute",
        f"?pattern={first}&pattern={second}&onset=acute",
    ]:
        assert names(client, query) == ["Alpha acute"]
        assert "1 condition found" in client.get(URL + query).content.decode()


@pytest.mark.parametrize(
    ("query", "joins"),
    [
        ("", False),
        ("?onset=chronic&fibre=motor&emergency=false&sort=-updated", False),
        ("?q=beta", False),
        ("?mechanism=attack", True),
        # All of several symptoms is one grouped subquery, not a join per symptom.
        ("?symptom=tingling", False),
        ("?pattern=symmetric-length-dependent", True),
    ],
)
def test_distinct_only_when_a_filter_joins_many_to_many(client, catalogue, query, joins):
    # DISTINCT over every published condition costs more than the rest of the list together.
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL + query).status_code == 200
    condition_queries = [q["sql"] for q in queries if '"conditions_condition"' in q["sql"]]
    assert condition_queries
    assert any("SELECT DISTINCT" in sql for sql in condition_queries) == joins


def test_sort_by_updated(client, catalogue):
    catalogue["chronic"].save()  # now the most recently updated
    assert names(client, "?sort=-updated")[0] == "Beta chronic"
    assert names(client, "?sort=updated")[-1] == "Beta chronic"


def test_search_orders_by_relevance_unless_sorted(client, db):
    ConditionFactory(name="Aaa", overview="Sometimes confused with vasculitis.")
    ConditionFactory(name="Systemic vasculitis")
    assert names(client, "?q=vasculitis") == ["Systemic vasculitis", "Aaa"]
    assert names(client, "?q=vasculitis&sort=name") == ["Aaa", "Systemic vasculitis"]


def test_a_search_narrowed_by_a_mechanism_ranks_or_sorts(client, db):
    """A many-to-many filter adds DISTINCT; the search still ranks, or keeps the sort's order."""
    mechanism = MechanismFactory(slug="attack")
    for name in ["Beta vasculitis", "Alpha", "Gamma vasculitis"]:
        condition = ConditionFactory(name=name, overview="Mentions vasculitis.")
        ConditionMechanism.objects.create(
            condition=condition, mechanism=mechanism, evidence=Evidence.STRONG
        )
    ConditionFactory(name="Delta vasculitis")  # no such mechanism
    ranked = ["Beta vasculitis", "Gamma vasculitis", "Alpha"]
    assert names(client, "?q=vasculitis&mechanism=attack") == ranked
    assert names(client, "?q=vasculitis&mechanism=attack&sort=-name") == [
        "Gamma vasculitis",
        "Beta vasculitis",
        "Alpha",
    ]


def test_result_count_chips_and_empty_state(client, catalogue):
    html = client.get(URL + "?onset=acute&mechanism=attack").content.decode()
    assert "1 condition found" in html
    assert 'class="chip" href="/conditions/?mechanism=attack"' in html  # removes onset
    assert 'class="chip" href="/conditions/?onset=acute"' in html  # removes mechanism
    assert "How fast it starts: Acute (hours to days)" in html
    empty = client.get(URL + "?mechanism=vessels&onset=acute").content.decode()
    assert "0 conditions found" in empty
    assert "No conditions match all of these choices" in empty


def test_drafts_are_not_listed(client, catalogue):
    ConditionFactory(name="Epsilon draft", status="draft")
    assert "Epsilon draft" not in names(client, "")


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("?onset=banana", "onset"),
        ("?mechanism=no-such-thing", "mechanism"),
        ("?symptom=no-such-thing", "symptom"),
        ("?pattern=zigzag", "pattern"),
        ("?fibre=nasal", "fibre"),
        ("?frequency=always", "frequency"),
        ("?emergency=banana", "emergency"),
        ("?emergency=1", "emergency"),
        ("?sort=price", "sort"),
        ("?q=" + "x" * 201, "q"),
        ("?q=%00", "q"),
        ("?page=abc", "page"),
        ("?page=0", "page"),
        ("?page=-1", "page"),
    ],
)
def test_invalid_values_are_400_naming_the_parameter(client, catalogue, query, parameter):
    response = client.get(URL + query)
    assert response.status_code == 400
    html = response.content.decode()
    assert f"({parameter})" in html
    assert 'role="alert"' in html


def test_unpublished_mechanism_is_not_a_valid_choice(client, db):
    MechanismFactory(slug="draft-mechanism", status="draft")
    assert client.get(URL + "?mechanism=draft-mechanism").status_code == 400


def test_pagination(client, db):
    for number in range(CONDITIONS_PER_PAGE + 5):
        ConditionFactory(name=f"Condition {number:03}")
    first = client.get(URL)
    assert len(first.context["page"].object_list) == CONDITIONS_PER_PAGE
    assert 'rel="next" href="?page=2"' in first.content.decode()
    second = client.get(URL + "?page=2")
    assert len(second.context["page"].object_list) == 5
    assert client.get(URL + "?page=3").status_code == 404


def test_pagination_keeps_filters(client, db):
    for number in range(CONDITIONS_PER_PAGE + 1):
        ConditionFactory(name=f"Condition {number:03}", onset=Onset.ACUTE)
    html = client.get(URL + "?onset=acute").content.decode()
    assert 'href="?onset=acute&amp;page=2"' in html


def test_repeated_and_odd_parameters_never_500(client, catalogue):
    for query in [
        "?onset=acute&onset=chronic",
        "?sort=name&sort=-name",
        "?q=a&q=b",
        "?unknown=1",
        "?page=1&page=2",
        "?mechanism=",
        "?q=" + "%E2%80%AE" * 50,
        "?q=%F0%9F%98%80",
        "?page=99999999999999999999999",
    ]:
        assert client.get(URL + query).status_code in {200, 302, 400, 404}, query


def test_empty_parameters_redirect_to_the_canonical_list_address(client, catalogue):
    form_as_sent = "?q=&onset=acute&emergency=&frequency=&sort=&unknown=kept"
    response = client.get(URL + form_as_sent)
    assert response.status_code == 302
    assert response["Location"] == URL + "?onset=acute&unknown=kept"
    response = client.get(URL + "?q=&sort=")
    assert response.status_code == 302
    assert response["Location"] == URL
    assert names(client, "?onset=acute") == ["Alpha acute"]


def test_the_filter_form_lands_on_the_results(client, catalogue):
    html = client.get(URL).content.decode()
    assert f'action="{URL}#results"' in html
    assert '<div id="results"' in html


def test_pattern_and_fibre_choices_read_in_plain_words(client, catalogue):
    from conditions.models import NeuropathyPattern

    pattern = NeuropathyPattern.objects.get(slug=catalogue["patterns"][0])
    html = client.get(URL + f"?pattern={pattern.slug}").content.decode()
    assert f"<span>{pattern.plain_name}</span>" in html
    assert f"Where the nerve damage is: {pattern.plain_name}" in html  # the chip
    assert "<span>Movement and strength (motor)</span>" in html


def test_partial_renders_only_the_results(client, catalogue):
    response = client.get(URL + "?onset=acute", headers={"X-Partial": "results"})
    html = response.content.decode()
    assert "Alpha acute" in html
    assert "<form" not in html
    assert "<html" not in html
    assert "X-Partial" in response["Vary"]


def test_a_broader_symptom_finds_conditions_tagged_with_its_narrower_forms(client, db):
    numbness = SymptomFactory(slug="numbness", name="Numbness")
    gloves = SymptomFactory(slug="gloves", name="Numb like gloves", broader=numbness)
    weakness = SymptomFactory(slug="weakness", name="Weakness")
    foot_drop = SymptomFactory(slug="foot-drop", name="Foot drop", broader=weakness)
    both = ConditionFactory(name="Both narrower forms")
    both.symptoms.add(gloves, foot_drop)
    only_numb = ConditionFactory(name="Only numb")
    only_numb.symptoms.add(gloves)
    broad = ConditionFactory(name="Tagged broadly")
    broad.symptoms.add(numbness, weakness)
    assert names(client, "?symptom=numbness") == [
        "Both narrower forms",
        "Only numb",
        "Tagged broadly",
    ]
    assert names(client, "?symptom=numbness&symptom=weakness") == [
        "Both narrower forms",
        "Tagged broadly",
    ]
    # A narrower form chosen with its broader symptom asks for the narrower one.
    assert names(client, "?symptom=numbness&symptom=gloves") == ["Both narrower forms", "Only numb"]
