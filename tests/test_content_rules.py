"""Content rules of the second edition (issue 15): the facts agree with the text, every term is
explained, every page says when to get help, symptoms answer consistently, every text reads
plainly, and the glossary is well formed.

Each rule is a small function that returns the problems it finds. The real content in fixtures/
must give no problems; small made-up examples beside each rule show that it flags what it should
and passes what is right, so a failure on the real content means the content, not the rule.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction

from conditions.filters import ConditionFilter
from conditions.models import (
    CONDITION_SECTIONS,
    Condition,
    GlossaryTerm,
    Mechanism,
    NeuropathyPattern,
    Onset,
    Symptom,
)
from editorial.readability import SECTION_MAX_GRADE, SUMMARY_MAX_GRADE, score
from tests.factories import ConditionFactory, SymptomFactory

pytestmark = pytest.mark.django_db

# Plain-language limits (Flesch-Kincaid grade) for the texts the readability module has no
# constant for: symptom descriptions and help levels as summaries, glossary definitions lower.
SYMPTOM_MAX_GRADE = SUMMARY_MAX_GRADE  # 8
HELP_MAX_GRADE = SUMMARY_MAX_GRADE  # 8
GLOSSARY_MAX_GRADE = 6

HELP_FIELDS = ["help_emergency", "help_same_day", "help_routine"]
CONDITION_SECTION_FIELDS = [*(field for field, _ in CONDITION_SECTIONS), "living_with"]
CONDITION_TEXT_FIELDS = [
    "name",
    "summary",
    *CONDITION_SECTION_FIELDS,
    "emergency_warning",
    "questions_for_doctor",
    *HELP_FIELDS,
]
MECHANISM_TEXT_FIELDS = ["name", "summary", "explanation"]
SYMPTOM_TEXT_FIELDS = ["name", "clinical_term", "description", *HELP_FIELDS]


def text_of(item, fields):
    return "\n".join(getattr(item, field) or "" for field in fields)


def sentences(text):
    """Sentences and list items (a line break ends one too)."""
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text or "") if s.strip()]


# Abbreviations whose full stop does not end a sentence.
_ABBREVIATIONS = re.compile(r"\b(e\.g|i\.e|etc|vs|Dr|Mr|Mrs|Ms|St|approx|no)\.$", re.I)


def sentence_count(text):
    pieces = [p for p in re.split(r"(?<=[.!?])\s+", (text or "").strip()) if p]
    count = 0
    for index in range(len(pieces)):
        if index and _ABBREVIATIONS.search(pieces[index - 1]):
            continue  # the previous piece ended on an abbreviation: same sentence
        count += 1
    return count


def test_sentence_count_helper():
    assert sentence_count("One sentence.") == 1
    assert sentence_count("One. Two!") == 2
    assert sentence_count("Drugs, e.g. rituximab, help. Not always.") == 2
    assert sentence_count("Is it? Yes. No.") == 3
    assert sentence_count("") == 0


# --- 1. A condition that is itself a nerve disease has no "how often it causes neuropathy".

# Names of conditions that are themselves diseases of the peripheral nerves.
NERVE_DISEASE_NAME = re.compile(
    r"(neuropathy|nodopathy|ganglionopathy|amyotrophy)$|Guillain-Barr", re.I
)
# "Miller Fisher syndrome is a rare form of Guillain-Barré syndrome." (first sentence only:
# other pages may say that a disease can *cause* an illness like GBS).
GBS_FORM = re.compile(r"\b(is|are)\b[^.]*\b(form|variant|type|subtype)s? of Guillain-Barr", re.I)


def should_be_nerve_disease(condition):
    first_sentence = (sentences(condition.summary) or [""])[0]
    return bool(
        NERVE_DISEASE_NAME.search(condition.name.strip()) or GBS_FORM.search(first_sentence)
    )


def nerve_disease_problems(condition):
    problems = []
    if condition.is_nerve_disease and condition.neuropathy_frequency:
        problems.append("is itself a nerve disease, so it has no 'how often it causes neuropathy'")
    if not condition.is_nerve_disease and not condition.neuropathy_frequency:
        problems.append("needs 'how often it causes neuropathy' (or is_nerve_disease)")
    if should_be_nerve_disease(condition) and not condition.is_nerve_disease:
        problems.append("its name or first sentence says it is a nerve disease: is_nerve_disease")
    if condition.is_nerve_disease and not condition.fibres:
        problems.append("a nerve disease affects at least one kind of nerve fibre")
    return [f"{condition.slug}: {problem}" for problem in problems]


def test_nerve_disease_rule_flags_what_it_should():
    ok = ConditionFactory.build(
        slug="mmn",
        name="Multifocal motor neuropathy",
        is_nerve_disease=True,
        neuropathy_frequency="",
        affects_motor=True,
        affects_sensory=False,
    )
    assert nerve_disease_problems(ok) == []
    with_frequency = ConditionFactory.build(
        slug="x",
        name="Multifocal motor neuropathy",
        is_nerve_disease=True,
        neuropathy_frequency="common",
    )
    assert nerve_disease_problems(with_frequency)
    not_flagged = ConditionFactory.build(
        slug="y", name="Anti-MAG neuropathy", is_nerve_disease=False, neuropathy_frequency="common"
    )
    assert nerve_disease_problems(not_flagged)
    gbs_form = ConditionFactory.build(
        slug="mfs",
        name="Miller Fisher syndrome",
        neuropathy_frequency="common",
        summary="Miller Fisher syndrome is a rare form of Guillain-Barré syndrome. It is rare.",
    )
    assert nerve_disease_problems(gbs_form)
    lupus = ConditionFactory.build(
        slug="lupus",
        name="Lupus",
        neuropathy_frequency="occasional",
        summary="Lupus is an autoimmune disease. Rarely it causes a form of Guillain-Barré "
        "syndrome.",
    )
    assert nerve_disease_problems(lupus) == []
    no_frequency = ConditionFactory.build(slug="z", name="Lupus", neuropathy_frequency="")
    assert nerve_disease_problems(no_frequency)


def test_the_database_refuses_a_nerve_disease_with_a_frequency():
    with pytest.raises(IntegrityError), transaction.atomic():
        ConditionFactory(is_nerve_disease=True, neuropathy_frequency="common")


def test_nerve_diseases_have_no_frequency_and_the_others_have_one(content):
    problems = []
    for condition in Condition.objects.published():
        problems += nerve_disease_problems(condition)
    assert problems == []


# --- 2. Pattern tags agree with the fibres, the onset and the text.

# The fibres each pattern (conditions/migrations/0002) needs: at least one of them.
PATTERN_FIBRES = {
    # Starts with numbness or tingling in the toes: sensory.
    "symmetric-length-dependent": {"sensory"},
    # Separate named nerves fail: they carry feeling as well as movement (a motor-only,
    # slowly spreading multifocal picture is multifocal motor neuropathy, not this).
    "mononeuritis-multiplex": {"sensory"},
    "sensory-ganglionopathy": {"sensory"},
    # Thin fibres carry pain and temperature and run sweating.
    "small-fibre": {"sensory", "autonomic"},
    "entrapment": {"sensory", "motor"},
    # Weakness near and far from the body.
    "demyelinating-polyradiculoneuropathy": {"motor"},
    "autonomic": {"autonomic"},
    "cranial": {"sensory", "motor"},
    # Motor nerves fail in patches with conduction block; feeling stays normal (migration 0006).
    "multifocal-motor": {"motor"},
    # Severe shoulder, hip or thigh pain, then weakness and wasting (migration 0006).
    "radiculoplexus": {"motor"},
}
# Patterns that spare the motor fibres: a condition with only these is not motor.
NON_MOTOR_PATTERNS = {"small-fibre", "sensory-ganglionopathy", "autonomic"}
# Patterns that spare feeling: a condition with only these is not sensory.
NON_SENSORY_PATTERNS = {"multifocal-motor"}
# Patterns that mean autonomic fibres are hit.
AUTONOMIC_PATTERNS = {"autonomic", "small-fibre"}
# Patterns whose description is about weakness: the condition lists a weakness symptom.
WEAKNESS_PATTERNS = {"demyelinating-polyradiculoneuropathy", "multifocal-motor", "radiculoplexus"}
# Patterns tied to an onset: {slug: {allowed onsets}}. Multifocal motor neuropathy spreads over
# months or years and "does not come on suddenly"; a plexus attack starts over hours to weeks.
PATTERN_ONSETS = {
    "multifocal-motor": {Onset.CHRONIC},
    "radiculoplexus": {Onset.ACUTE, Onset.SUBACUTE},
}

# A summary that says the disease spares feeling ("It affects movement, not feeling.").
MOTOR_ONLY = re.compile(
    r"\bmovement,? (and )?not (feeling|sensation)\b|\bmotor (nerves |fibres )?only\b|"
    r"\bonly (the )?motor (nerves|fibres)\b",
    re.I,
)
WEAKNESS_SYMPTOM = re.compile(r"weak|paresis|paraly", re.I)


@dataclass
class Facts:
    slug: str
    patterns: set
    onset: str = Onset.CHRONIC
    sensory: bool = False
    motor: bool = False
    autonomic: bool = False
    summary: str = ""
    lists_weakness: bool = True
    is_nerve_disease: bool = False
    is_emergency: bool = False


def broader_chain(symptom):
    """The symptom and every broader symptom above it (stops at a cycle)."""
    chain, seen = [], set()
    while symptom is not None and symptom.pk not in seen:
        seen.add(symptom.pk)
        chain.append(symptom)
        symptom = symptom.broader
    return chain


def facts_of(condition):
    symptoms = [s for symptom in condition.symptoms.all() for s in broader_chain(symptom)]
    return Facts(
        slug=condition.slug,
        patterns=set(condition.patterns.values_list("slug", flat=True)),
        onset=condition.onset,
        sensory=condition.affects_sensory,
        motor=condition.affects_motor,
        autonomic=condition.affects_autonomic,
        summary=condition.summary,
        lists_weakness=any(
            WEAKNESS_SYMPTOM.search(f"{s.slug} {s.name} {s.clinical_term}") for s in symptoms
        ),
        is_nerve_disease=condition.is_nerve_disease,
        is_emergency=condition.is_emergency,
    )


def pattern_problems(facts):
    fibres = {
        fibre
        for fibre, affected in (
            ("sensory", facts.sensory),
            ("motor", facts.motor),
            ("autonomic", facts.autonomic),
        )
        if affected
    }
    problems = []
    for pattern in sorted(facts.patterns):
        needed = PATTERN_FIBRES.get(pattern)
        if needed is None:
            problems.append(f"pattern {pattern} has no rule in PATTERN_FIBRES")
        elif not needed & fibres:
            problems.append(f"pattern {pattern} needs {' or '.join(sorted(needed))} fibres")
        if pattern in PATTERN_ONSETS and facts.onset not in PATTERN_ONSETS[pattern]:
            problems.append(f"pattern {pattern} needs onset {PATTERN_ONSETS[pattern]}")
        if pattern in WEAKNESS_PATTERNS and not facts.lists_weakness:
            problems.append(f"pattern {pattern} is about weakness, but no weakness symptom")
    if facts.patterns and not fibres:
        problems.append("has patterns of nerve damage but affects no fibres")
    if facts.patterns and facts.patterns <= NON_MOTOR_PATTERNS and facts.motor:
        problems.append("affects motor fibres, but all its patterns spare them")
    if facts.patterns and facts.patterns <= NON_SENSORY_PATTERNS and facts.sensory:
        problems.append("affects sensory fibres, but all its patterns spare feeling")
    if facts.autonomic and not facts.patterns & AUTONOMIC_PATTERNS:
        problems.append("affects autonomic fibres without an autonomic or small-fibre pattern")
    if facts.sensory and MOTOR_ONLY.search(facts.summary):
        problems.append("its summary says feeling is spared, but it affects sensory fibres")
    if facts.is_emergency and facts.is_nerve_disease and facts.onset != Onset.ACUTE:
        problems.append("an emergency nerve disease (it spreads over hours to days) is acute")
    return [f"{facts.slug}: {problem}" for problem in problems]


def test_every_pattern_has_a_rule():
    slugs = set(NeuropathyPattern.objects.values_list("slug", flat=True))
    assert slugs == set(PATTERN_FIBRES), "give every pattern its fibre rule (and onset if any)"
    assert set(PATTERN_ONSETS) <= slugs
    assert slugs >= (
        NON_MOTOR_PATTERNS | NON_SENSORY_PATTERNS | AUTONOMIC_PATTERNS | WEAKNESS_PATTERNS
    )


@pytest.mark.parametrize(
    "facts, flagged",
    [
        # MMN as it should be: motor only, slowly spreading, no mononeuritis multiplex tag.
        (Facts("mmn", set(), motor=True, summary="It affects movement, not feeling."), False),
        (Facts("mmn", {"multifocal-motor"}, motor=True), False),
        # The multifocal motor pattern spares feeling and never comes on suddenly.
        (Facts("mmn", {"multifocal-motor"}, motor=True, sensory=True), True),
        (Facts("mmn", {"multifocal-motor"}, onset=Onset.ACUTE, motor=True), True),
        (Facts("mmn", {"multifocal-motor"}, motor=True, lists_weakness=False), True),
        # Neuralgic amyotrophy and the radiculoplexus neuropathies: pain, then weakness, fast.
        (Facts("na", {"radiculoplexus"}, onset=Onset.ACUTE, sensory=True, motor=True), False),
        (Facts("dlrpn", {"radiculoplexus"}, onset=Onset.SUBACUTE, sensory=True, motor=True), False),
        (Facts("na", {"radiculoplexus"}, onset=Onset.CHRONIC, sensory=True, motor=True), True),
        (Facts("na", {"radiculoplexus"}, onset=Onset.ACUTE, sensory=True), True),
        # Finding 2: MMN tagged mononeuritis multiplex.
        (
            Facts(
                "mmn",
                {"mononeuritis-multiplex"},
                motor=True,
                summary="It affects movement, not feeling.",
            ),
            True,
        ),
        # Says feeling is spared but claims sensory fibres.
        (
            Facts(
                "mmn", set(), motor=True, sensory=True, summary="It affects movement, not feeling."
            ),
            True,
        ),
        # Vasculitis: painful, patchy, sensory and motor.
        (
            Facts(
                "pan", {"mononeuritis-multiplex"}, onset=Onset.SUBACUTE, sensory=True, motor=True
            ),
            False,
        ),
        # Finding 3: anti-MAG (distal, sensory, little weakness) as polyradiculoneuropathy.
        (
            Facts(
                "anti-mag",
                {"demyelinating-polyradiculoneuropathy"},
                sensory=True,
                motor=True,
                lists_weakness=False,
            ),
            True,
        ),
        (Facts("cidp", {"demyelinating-polyradiculoneuropathy"}, sensory=True, motor=True), False),
        (Facts("x", {"demyelinating-polyradiculoneuropathy"}, sensory=True), True),
        (Facts("sfn", {"small-fibre"}, sensory=True), False),
        (Facts("sfn", {"small-fibre"}, autonomic=True), False),
        (Facts("sfn", {"small-fibre"}, motor=True), True),
        (Facts("sfn", {"small-fibre", "sensory-ganglionopathy"}, sensory=True, motor=True), True),
        (Facts("aag", {"autonomic"}, autonomic=True), False),
        (Facts("aag", {"autonomic"}, sensory=True), True),
        (Facts("dm", {"symmetric-length-dependent"}, sensory=True, autonomic=True), True),
        (Facts("ms", set()), False),
        (Facts("x", {"cranial"}), True),
        (Facts("x", {"made-up-pattern"}, sensory=True), True),
        # GBS: an emergency nerve disease is acute.
        (
            Facts(
                "gbs",
                {"demyelinating-polyradiculoneuropathy", "autonomic", "cranial"},
                onset=Onset.ACUTE,
                sensory=True,
                motor=True,
                autonomic=True,
                is_nerve_disease=True,
                is_emergency=True,
            ),
            False,
        ),
        (
            Facts(
                "gbs",
                {"demyelinating-polyradiculoneuropathy"},
                onset=Onset.SUBACUTE,
                sensory=True,
                motor=True,
                is_nerve_disease=True,
                is_emergency=True,
            ),
            True,
        ),
    ],
)
def test_pattern_rules_flag_what_they_should(facts, flagged):
    assert bool(pattern_problems(facts)) == flagged, pattern_problems(facts)


def test_facts_of_reads_weakness_through_broader_symptoms():
    weak = SymptomFactory(slug="weakness", name="Weak arms or legs", clinical_term="Paresis")
    narrow = SymptomFactory(
        slug="foot-drop", name="Foot drop", clinical_term="Foot drop", broader=weak
    )
    condition = ConditionFactory()
    condition.symptoms.add(narrow)
    assert facts_of(condition).lists_weakness
    condition.symptoms.set([SymptomFactory(name="Numbness", clinical_term="Hypoaesthesia")])
    assert not facts_of(condition).lists_weakness


def test_pattern_tags_agree_with_fibres_onset_and_text(content):
    problems = []
    for condition in Condition.objects.published().prefetch_related("patterns", "symptoms"):
        problems += pattern_problems(facts_of(condition))
    assert problems == []


# --- 3. Every medical term is explained where it is used, or is in the glossary.

# Issue 15 finding 17, plus "neuropathy" itself and the other jargon the pages use.
CURATED_TERMS = [
    # finding 17
    "neuropathy",
    "median nerve",
    "biologic",
    "disease-modifying",
    "ANA",
    "anti-DNA",
    "anti-Ro",
    "SSA",
    "AIDP",
    "AMAN",
    "PR3",
    "MPO",
    "complement",
    "rheumatoid factor",
    "paraprotein",
    "nodopathy",
    "myasthenia gravis",
    "macroglobulinaemia",
    "haematologist",
    "nasal polyps",
    # nerves and their parts
    "peripheral neuropathy",
    "polyneuropathy",
    "mononeuritis multiplex",
    "axon",
    "myelin",
    "demyelination",
    "demyelinating",
    "node of Ranvier",
    "nodes of Ranvier",
    "paranodal",
    "conduction block",
    "small-fibre",
    "ganglion",
    "ganglia",
    "dorsal root ganglia",
    "ganglionopathy",
    "autonomic",
    "central nervous system",
    "vasa nervorum",
    "nerve infarction",
    "Schwann cells",
    "plexus",
    "brachial plexus",
    "radiculopathy",
    "polyradiculoneuropathy",
    "entrapment",
    "carpal tunnel syndrome",
    # tests
    "nerve conduction studies",
    "electromyography",
    "EMG",
    "lumbar puncture",
    "biopsy",
    "MRI",
    "angiography",
    "colonoscopy",
    "monofilament",
    "tissue transglutaminase",
    "methylmalonic acid",
    # the immune system and antibodies
    "antibody",
    "antibodies",
    "autoantibodies",
    "autoimmune",
    "immune-mediated",
    "inflammation",
    "vasculitis",
    "ANCA",
    "immune complex",
    "ganglioside",
    "gangliosides",
    "molecular mimicry",
    "eosinophil",
    "eosinophils",
    "granuloma",
    "granulomas",
    "macrophages",
    "T cells",
    "MGUS",
    "IgM",
    "IgG4",
    "MAG",
    "anti-GM1",
    "anti-GQ1b",
    "anti-Hu",
    "CRMP5",
    "neurofascin",
    "contactin-1",
    "Caspr1",
    "acetylcholine receptor",
    "cryoglobulins",
    "cryoglobulinaemia",
    "cold agglutinin",
    # symptoms and signs
    "paraesthesia",
    "dysaesthesia",
    "hypoaesthesia",
    "allodynia",
    "ataxia",
    "proprioception",
    "orthostatic hypotension",
    "gastroparesis",
    "fasciculations",
    "diplopia",
    "dysphagia",
    "paresis",
    "atrophy",
    "sudomotor",
    "Raynaud's phenomenon",
    "optic neuritis",
    # treatments
    "immunoglobulin",
    "IVIg",
    "plasma exchange",
    "rituximab",
    "cyclophosphamide",
    "methotrexate",
    "hydroxychloroquine",
    "mepolizumab",
    "efgartigimod",
    "leflunomide",
    "metronidazole",
    "infliximab",
    "TNF inhibitors",
    "checkpoint inhibitors",
    "corticosteroid",
    "immunosuppressant",
    "levothyroxine",
    "physiotherapy",
    "occupational therapy",
    # other causes and words
    "paraneoplastic",
    "small-cell lung cancer",
    "hepatitis C",
    "hepatitis B",
    "intrinsic factor",
    "nitrous oxide",
    "gluten",
    "TSH",
    "pituitary",
    "hypothyroidism",
    "Campylobacter",
    "Zika",
    "POEMS",
    "VEGF",
    "cytokine",
    "perineural",
    "ptosis",
    "relapse",
    "remission",
    "subacute",
    "neurologist",
    "rheumatologist",
    "motor neurone disease",
]


def term_pattern(term):
    """Where a term is used: whole words, with a plural; abbreviations only in capitals."""
    is_abbreviation = any(letter.isupper() for letter in term[1:]) or term.isupper()
    flags = 0 if is_abbreviation else re.I
    return re.compile(rf"(?<!\w){re.escape(term)}(?:s|es)?(?!\w)", flags)


# What may follow a term to explain it: "X (…)", "X, a/the/which/called …", "X is/means …",
# and what may come before it: "called X", "known as X", "(X)" after the plain words.
_EXPLAINED_AFTER = re.compile(
    r"^\s*(\(|,\s*(a|an|the|which|who|that|where|called|meaning|or)\b|—|:|"
    r"\s(is|are|means|mean)\s)",
    re.I,
)
_EXPLAINED_BEFORE = re.compile(r"(\b(called|known as|named)\s+((a|an|the)\s+)?|\()$", re.I)


def explained_in(text, term):
    """Whether the text explains the term where it uses it (a heuristic, checked below)."""
    for match in term_pattern(term).finditer(text):
        before, after = text[: match.start()], text[match.end() :]
        if _EXPLAINED_AFTER.match(after) or _EXPLAINED_BEFORE.search(before):
            return True
    return False


def test_explained_in_helper():
    assert explained_in("This is called a paraprotein.", "paraprotein")
    assert explained_in("A haematologist (a blood doctor) checks it.", "haematologist")
    assert explained_in("Myelin, the fatty coating, is damaged.", "myelin")
    assert explained_in("a camera test of the bowel (colonoscopy)", "colonoscopy")
    assert explained_in("Complement is a set of blood proteins.", "complement")
    assert not explained_in("Tests for ANA and anti-DNA help.", "ANA")
    assert not explained_in("Tests look for ANA, anti-DNA and complement.", "ANA")
    assert not explained_in("A haematologist checks it.", "haematologist")


def test_term_pattern_matches_words_and_plurals_only():
    assert term_pattern("neuropathy").search("an anti-MAG neuropathy")
    assert not term_pattern("neuropathy").search("a polyneuropathy")
    assert term_pattern("paraprotein").search("Paraproteins are")
    assert term_pattern("ANA").search("tests such as ANA.")
    assert not term_pattern("ANA").search("ANCA and banana")
    assert term_pattern("neurofascin").search("neurofascin-155")


def glossary_forms():
    return {form.casefold() for term in GlossaryTerm.objects.all() for form in term.forms}


def unexplained_terms(item_label, text, forms):
    return [
        f"{item_label}: {term}"
        for term in CURATED_TERMS
        if term_pattern(term).search(text)
        and term.casefold() not in forms
        and not explained_in(text, term)
    ]


def test_unexplained_terms_are_found():
    forms = {"neuropathy", "neuropathies"}
    text = "A neuropathy can come with a paraprotein. A haematologist (a blood doctor) helps."
    assert unexplained_terms("x", text, forms) == ["x: paraprotein"]


def test_every_curated_term_used_is_explained_or_in_the_glossary(content):
    forms = glossary_forms()
    problems = []
    for condition in Condition.objects.published():
        problems += unexplained_terms(
            condition.slug, text_of(condition, CONDITION_TEXT_FIELDS), forms
        )
    for mechanism in Mechanism.objects.published():
        problems += unexplained_terms(
            mechanism.slug, text_of(mechanism, MECHANISM_TEXT_FIELDS), forms
        )
    for symptom in Symptom.objects.all():
        problems += unexplained_terms(symptom.slug, text_of(symptom, SYMPTOM_TEXT_FIELDS), forms)
    assert problems == []


# --- 4. When to get help, in three levels, on every condition and every symptom.

PHONE_NUMBER = re.compile(r"\b(999|111|911|112)\b")


def help_problems(item, label):
    problems = []
    for field in HELP_FIELDS:
        text = getattr(item, field).strip()
        if not text:
            problems.append(f"{label}: write {field}")
            continue
        if any(not line.lstrip().startswith("- ") for line in text.splitlines() if line.strip()):
            problems.append(f"{label}: {field} is a Markdown list, one '- item' a line")
        if PHONE_NUMBER.search(text):
            problems.append(f"{label}: {field} names a phone number (the page adds them)")
    if getattr(item, "is_emergency", False) and not item.help_emergency.strip():
        problems.append(f"{label}: an emergency needs help_emergency")
    return problems


# A symptom description that calls it an emergency ("This is an emergency.").
SAYS_EMERGENCY = re.compile(r"\b(this|it) (is|can be) (a medical |an )?emergency\b", re.I)


def symptom_emergency_problems(symptom):
    if SAYS_EMERGENCY.search(symptom.description) and not symptom.is_emergency:
        return [f"{symptom.slug}: its description says it is an emergency: is_emergency"]
    return []


def test_help_level_rules_flag_what_they_should():
    good = SymptomFactory.build(
        slug="good",
        is_emergency=True,
        help_emergency="- you cannot breathe",
        help_same_day="- it is getting worse\n- you feel unwell",
        help_routine="- it lasts",
    )
    assert help_problems(good, "good") == []
    assert help_problems(SymptomFactory.build(help_emergency="- now"), "x")  # levels missing
    numbers = SymptomFactory.build(
        help_emergency="- call 999", help_same_day="- today", help_routine="- book"
    )
    assert help_problems(numbers, "x")
    prose = SymptomFactory.build(
        help_emergency="Call an ambulance.", help_same_day="- a", help_routine="- b"
    )
    assert help_problems(prose, "x")
    says = SymptomFactory.build(slug="sob", description="Breathing is hard. This is an emergency.")
    assert symptom_emergency_problems(says)
    assert not symptom_emergency_problems(
        SymptomFactory.build(description="It is rarely an emergency.")
    )


def test_every_condition_and_symptom_has_every_help_level(content):
    problems = []
    for condition in Condition.objects.published():
        problems += help_problems(condition, condition.slug)
    for symptom in Symptom.objects.all():
        problems += help_problems(symptom, symptom.slug)
        problems += symptom_emergency_problems(symptom)
    assert problems == []


# --- 5. Symptoms answer consistently.


def broader_cycles(symptoms):
    """Slugs of symptoms whose broader chain comes back to a symptom already on it."""
    cycles = []
    for symptom in symptoms:
        seen, current = set(), symptom
        while current is not None:
            if current.pk in seen:
                cycles.append(symptom.slug)
                break
            seen.add(current.pk)
            current = current.broader
    return cycles


def narrower_forms(symptom, children):
    """The symptom and every narrower form below it (children: {pk: [narrower symptoms]})."""
    found, stack = {}, [symptom]
    while stack:
        current = stack.pop()
        if current.pk in found:
            continue
        found[current.pk] = current
        stack += children.get(current.pk, [])
    return list(found.values())


def filter_problems(symptoms, published):
    """Choosing a symptom finds every published condition tagged with it or a narrower form."""
    children = {}
    for symptom in symptoms:
        if symptom.broader_id:
            children.setdefault(symptom.broader_id, []).append(symptom)
    problems = []
    for symptom in symptoms:
        expected = set(
            published.filter(symptoms__in=narrower_forms(symptom, children)).values_list(
                "slug", flat=True
            )
        )
        form = ConditionFilter({"symptom": [symptom.slug]}, queryset=published)
        assert form.is_valid(), form.errors
        found = set(form.qs.values_list("slug", flat=True))
        if expected - found:
            problems.append(f"{symptom.slug}: does not find {sorted(expected - found)}")
    return problems


FEET = re.compile(r"\b(feet|foot|toes?|soles?)\b", re.I)
NEGATED = re.compile(r"\b(no|not|without|never)\b", re.I)
# What the text says, and the symptom a reader ticks for it (or any narrower form of it).
FOOT_SENSATIONS = [
    (re.compile(r"\bnumb", re.I), "numbness"),
    (re.compile(r"\btingl|\bpins and needles\b|\bprickl", re.I), "pins-and-needles"),
]
FOOT_TEXT_FIELDS = ["summary", "overview", "nerve_effects", "symptoms_text"]


def foot_symptom_problems(condition, tagged_with):
    """A condition whose text says the feet go numb or tingle is found by that symptom.

    `tagged_with` holds the slugs of the condition's symptoms and of every broader symptom
    above them. Only sentences about the feet count, and not ones that deny the symptom
    ("little or no numbness").
    """
    problems = []
    for sentence in sentences(text_of(condition, FOOT_TEXT_FIELDS)):
        if not FEET.search(sentence):
            continue
        for words, symptom in FOOT_SENSATIONS:
            match = words.search(sentence)
            if not match or NEGATED.search(sentence[: match.start()]):
                continue
            if symptom not in tagged_with:
                problems.append(f"{condition.slug}: says '{sentence}' but is not tagged {symptom}")
    return sorted(set(problems))


def tagged_slugs(condition):
    return {s.slug for symptom in condition.symptoms.all() for s in broader_chain(symptom)}


def test_symptom_consistency_helpers():
    a = SymptomFactory(slug="a")
    b = SymptomFactory(slug="b", broader=a)
    c = SymptomFactory(slug="c", broader=b)
    assert broader_cycles([a, b, c]) == []
    a.broader = c
    a.save()
    assert set(broader_cycles(Symptom.objects.all())) == {"a", "b", "c"}
    a.broader = None
    a.save()
    children = {a.pk: [b], b.pk: [c]}
    assert {s.slug for s in narrower_forms(a, children)} == {"a", "b", "c"}

    condition = ConditionFactory.build(
        slug="t1d", symptoms_text="- Tingling, numbness or burning pain in the feet."
    )
    assert foot_symptom_problems(condition, {"numbness", "gloves-and-socks-numbness"}) == [
        "t1d: says '- Tingling, numbness or burning pain in the feet.' but is not tagged "
        "pins-and-needles"
    ]
    assert foot_symptom_problems(condition, {"numbness", "pins-and-needles"}) == []
    mmn = ConditionFactory.build(slug="mmn", symptoms_text="- Little or no numbness in the feet.")
    assert foot_symptom_problems(mmn, set()) == []
    hands = ConditionFactory.build(slug="ms", symptoms_text="- Numbness on one side of the body.")
    assert foot_symptom_problems(hands, set()) == []


def test_choosing_a_broader_symptom_finds_its_narrower_forms():
    """The filter's own rule (Symptom.broader: "choosing the broader symptom finds this one")."""
    numbness = SymptomFactory(slug="numbness", name="Numbness")
    gloves = SymptomFactory(slug="gloves-and-socks", name="Numb like gloves", broader=numbness)
    condition = ConditionFactory(slug="tagged-narrow")
    condition.symptoms.add(gloves)
    assert filter_problems([numbness, gloves], Condition.objects.published()) == []


def test_symptoms_answer_consistently(content):
    symptoms = list(Symptom.objects.select_related("broader"))
    assert broader_cycles(symptoms) == []
    published = Condition.objects.published()
    problems = filter_problems(symptoms, published)
    for condition in published.prefetch_related("symptoms__broader"):
        problems += foot_symptom_problems(condition, tagged_slugs(condition))
    assert problems == []


# --- 6. Every text reads plainly.


def too_hard(label, text, limit):
    result = score(text) if (text or "").strip() else None
    if result and result.too_hard(limit):
        return [f"{label}: grade {result.grade} > {limit}"]
    return []


def test_every_text_reads_plainly(content):
    problems = []
    for condition in Condition.objects.published():
        problems += too_hard(f"{condition.slug}.summary", condition.summary, SUMMARY_MAX_GRADE)
        for field in [*CONDITION_SECTION_FIELDS, "questions_for_doctor"]:
            problems += too_hard(
                f"{condition.slug}.{field}", getattr(condition, field), SECTION_MAX_GRADE
            )
        for field in [*HELP_FIELDS, "emergency_warning"]:
            problems += too_hard(
                f"{condition.slug}.{field}", getattr(condition, field), HELP_MAX_GRADE
            )
    for mechanism in Mechanism.objects.published():
        problems += too_hard(f"{mechanism.slug}.summary", mechanism.summary, SUMMARY_MAX_GRADE)
        problems += too_hard(
            f"{mechanism.slug}.explanation", mechanism.explanation, SECTION_MAX_GRADE
        )
    for symptom in Symptom.objects.all():
        problems += too_hard(f"{symptom.slug}.description", symptom.description, SYMPTOM_MAX_GRADE)
        for field in HELP_FIELDS:
            problems += too_hard(f"{symptom.slug}.{field}", getattr(symptom, field), HELP_MAX_GRADE)
    for term in GlossaryTerm.objects.all():
        problems += too_hard(f"glossary {term.slug}", term.definition, GLOSSARY_MAX_GRADE)
    assert problems == []


# --- 7. The glossary is well formed.

# The same checks test_content.py makes of the other prose (British English, no advice).
AMERICAN_SPELLINGS = re.compile(
    r"\b(anemi\w*|\w*fiber\w*|tumor\w*|hemorrh\w*|esophag\w*|diarrhea\w*|edema|paresthes\w*|"
    r"ischemi\w*|leukemi\w*|celiac|hypesthes\w*|recogniz\w*|organiz\w*|behavior\w*|color\w*|"
    r"center\w*|hematolog\w*|specializ\w*)\b",
    re.I,
)
PERSONAL_ADVICE = re.compile(
    r"\byou should\b|\byou must\b|\bwe recommend\b|\b(do not|don't) stop\b|\bstart taking\b|"
    r"\bstop taking\b|\bincrease your dose\b",
    re.I,
)


def glossary_records():
    """The glossary as written in fixtures/ (loading would merge two records with one slug)."""
    return [
        record["fields"]
        for directory in settings.FIXTURE_DIRS
        for path in sorted(Path(directory).glob("*.json"))
        for record in json.loads(path.read_text(encoding="utf-8"))
        if record.get("model") == "conditions.glossaryterm"
    ]


def form_collisions(entries):
    """Forms (the term or an other form, in any case) written in more than one place."""
    owners = {}
    for entry in entries:
        forms = [entry["term"], *(f.strip() for f in entry["other_forms"].split(","))]
        for form in filter(None, forms):
            owners.setdefault(form.casefold(), []).append(entry["slug"])
    return {form: slugs for form, slugs in owners.items() if len(slugs) > 1}


def definition_problems(entry):
    problems = []
    definition = entry["definition"].strip()
    if not 1 <= sentence_count(definition) <= 2:
        problems.append("is one or two sentences")
    if not definition.endswith((".", "!", "?")):
        problems.append("ends a sentence")
    problems += [f"uses {m[0]}" for m in AMERICAN_SPELLINGS.finditer(definition)]
    problems += [f"advises: {m[0].lower()}" for m in PERSONAL_ADVICE.finditer(definition)]
    return [f"{entry['slug']}: {problem}" for problem in problems]


def test_glossary_rules_flag_what_they_should():
    a = {
        "slug": "a",
        "term": "Neuropathy",
        "other_forms": "neuropathies, peripheral neuropathy",
        "definition": "Nerve damage. It can hurt.",
    }
    b = {
        "slug": "b",
        "term": "Peripheral neuropathy",
        "other_forms": "",
        "definition": "Damage to nerves. It is common. It has many causes.",
    }
    assert form_collisions([a, b]) == {"peripheral neuropathy": ["a", "b"]}
    assert definition_problems(a) == []
    assert definition_problems(b) == ["b: is one or two sentences"]
    c = {
        "slug": "c",
        "term": "Tumour",
        "other_forms": "tumor",
        "definition": "A lump, also spelt tumor. You should see a doctor.",
    }
    assert definition_problems(c) == ["c: uses tumor", "c: advises: you should"]


def test_the_glossary_is_well_formed(content):
    entries = glossary_records()
    assert len(entries) >= 80, "the glossary has at least 80 terms"
    slugs = [entry["slug"] for entry in entries]
    assert len(slugs) == len(set(slugs)), "two glossary records share a slug"
    assert GlossaryTerm.objects.count() == len(entries)
    for term in GlossaryTerm.objects.all():
        term.full_clean()
    assert form_collisions(entries) == {}
    problems = [problem for entry in entries for problem in definition_problems(entry)]
    assert problems == []
