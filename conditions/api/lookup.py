"""Diagnosis-code lookup: from a code in a health record to the conditions that explain it.

Works like MedlinePlus Connect: an electronic health record sends a code (plainly, or in the
HL7 Infobutton URL-based form) and gets back the published conditions that carry the code, a
broader category of it, a narrower code inside it, or a sibling code in the same category; or,
when no code matches, the conditions whose names match the display name it sent.
"""

import re
from dataclasses import dataclass

from django.db import models
from django.db.models import Q

from conditions.models import (
    CODE_EXAMPLES,
    CODE_PATTERNS,
    ClinicalCode,
    CodeSystem,
    Condition,
    normalise_code,
)
from conditions.search import CONDITION, search
from conditions.search.text import MAX_QUERY_LENGTH

# HL7 code-system OIDs an Infobutton request names its code system by.
SYSTEM_OIDS = {
    "2.16.840.1.113883.6.90": CodeSystem.ICD10CM,
    "2.16.840.1.113883.6.96": CodeSystem.SNOMEDCT,
    "2.16.840.1.113883.6.177": CodeSystem.MESH,
    # The OID Orphanet registered for ORPHAcodes (its nomenclature pack's "ORPHAcode" system).
    "1.3.6.1.4.1.12559.11.10.1.3.1.44.5": CodeSystem.ORPHA,
}
OIDS = {system: oid for oid, system in SYSTEM_OIDS.items()}

INFOBUTTON_CODE = "mainSearchCriteria.v.c"
INFOBUTTON_SYSTEM = "mainSearchCriteria.v.cs"
INFOBUTTON_DISPLAY_NAME = "mainSearchCriteria.v.dn"
INFOBUTTON_RECIPIENT = "informationRecipient"
INFOBUTTON_LANGUAGE = "informationRecipient.languageCode.c"
INFOBUTTON_RESPONSE_TYPE = "knowledgeResponseType"

# The Infobutton parameters this service reads; any other with a dot in its name is request
# context we do not use (patient age, task, performer ...) and is accepted and ignored.
INFOBUTTON_PARAMETERS = [
    INFOBUTTON_SYSTEM,
    INFOBUTTON_CODE,
    INFOBUTTON_DISPLAY_NAME,
    INFOBUTTON_RECIPIENT,
    INFOBUTTON_LANGUAGE,
    INFOBUTTON_RESPONSE_TYPE,
]


class Recipient(models.TextChoices):
    """Who will read the answer (HL7 informationRecipient)."""

    PATIENT = "PAT", "The patient (or a family member)"
    PROVIDER = "PROV", "A health professional"


# Languages the content is written in. The one place a new language is switched on.
LANGUAGES = ["en", "es"]
# Other spellings of a language code: MedlinePlus Connect sends "sp" for Spanish.
LANGUAGE_SPELLINGS = {"sp": "es"}


def response_language(params):
    """The language the answer is wanted in: informationRecipient.languageCode.c, else English.

    A code such as "en-US" means English; a language the content is not written in is refused
    (InvalidLookup) rather than answered in another one.
    """
    raw = params.get(INFOBUTTON_LANGUAGE, "").strip()
    if not raw:
        return LANGUAGES[0]
    language = raw.replace("_", "-").split("-")[0].lower()
    language = LANGUAGE_SPELLINGS.get(language, language)
    if language not in LANGUAGES:
        raise InvalidLookup(
            {
                INFOBUTTON_LANGUAGE: [
                    f"No content in “{raw[:20]}” yet. Accepted values: "
                    f"{', '.join([*LANGUAGES, *LANGUAGE_SPELLINGS])}."
                ]
            }
        )
    return language


class Match(models.TextChoices):
    """How a condition relates to what was asked about, best first."""

    EXACT = "exact", "The same code"
    BROADER = "broader", "A parent category of the code asked about"
    NARROWER = "narrower", "A more specific code inside the one asked about"
    CATEGORY = "category", "Another code in the same category as the code asked about"
    NAME = "name", "Its name matched the display name sent (no code matched)"


class InvalidLookup(ValueError):
    """A lookup request that cannot be answered; `errors` maps parameter → messages."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True)
class CodeQuery:
    system: str | None
    code: str | None
    display_name: str = ""
    recipient: str = Recipient.PATIENT
    language: str = "en"


def parse_query(params):
    """What a request asks about, validated; raises InvalidLookup otherwise."""
    plain = "code" in params or "system" in params
    infobutton = any(name in params for name in INFOBUTTON_PARAMETERS[:3])
    if plain and infobutton:
        raise InvalidLookup(
            {
                "code": [
                    f"Send either system and code, or {INFOBUTTON_SYSTEM} and "
                    f"{INFOBUTTON_CODE}, not both."
                ]
            }
        )
    errors = {}
    recipient = params.get(INFOBUTTON_RECIPIENT, Recipient.PATIENT).strip().upper()
    if recipient not in Recipient.values:
        errors[INFOBUTTON_RECIPIENT] = [
            f"Unknown recipient. Accepted values: {', '.join(Recipient.values)}."
        ]
    try:
        language = response_language(params)
    except InvalidLookup as invalid:
        errors.update(invalid.errors)
    display_name = params.get(INFOBUTTON_DISPLAY_NAME, "").strip()
    if len(display_name) > MAX_QUERY_LENGTH:
        errors[INFOBUTTON_DISPLAY_NAME] = [f"Up to {MAX_QUERY_LENGTH} characters."]

    if infobutton:
        code_param, system_param = INFOBUTTON_CODE, INFOBUTTON_SYSTEM
        raw_system = params.get(INFOBUTTON_SYSTEM, "").strip()
        system = SYSTEM_OIDS.get(raw_system)
        accepted = ", ".join(f"{oid} ({SYSTEM_OIDS[oid].label})" for oid in SYSTEM_OIDS)
    else:
        code_param, system_param = "code", "system"
        raw_system = params.get("system", "").strip()
        system = raw_system.lower() if raw_system.lower() in CodeSystem.values else None
        accepted = ", ".join(CodeSystem.values)

    raw_code = params.get(code_param, "")
    # An Infobutton request may send only a display name: then no code system is needed.
    name_only = infobutton and display_name and not raw_code.strip() and not raw_system
    if name_only:
        system = None
    elif not raw_system:
        errors[system_param] = [f"This parameter is required. Accepted values: {accepted}."]
    elif system is None:
        errors[system_param] = [f"Unknown code system “{raw_system}”. Accepted values: {accepted}."]

    code = normalise_code(system, raw_code) if system else raw_code.strip().upper()
    if name_only:
        code = None
    elif not code:
        errors[code_param] = ["This parameter is required."]
    elif system and not re.match(CODE_PATTERNS[system], code):
        errors[code_param] = [
            f"“{raw_code[:40]}” is not a valid {CodeSystem(system).label} code "
            f"(for example {CODE_EXAMPLES[system]})."
        ]
    if errors:
        raise InvalidLookup(errors)
    return CodeQuery(system, code, display_name, recipient, language)


def broader_codes(system, code):
    """The code's parent categories, closest first: M32.14 → [M32.1, M32]."""
    if system != CodeSystem.ICD10CM or "." not in code:
        # SNOMED CT, MeSH and Orphanet hierarchies are not held locally: those match exactly.
        return []
    category, detail = code.split(".")
    return [f"{category}.{detail[:length]}" for length in range(len(detail) - 1, 0, -1)] + [
        category
    ]


def _shared_prefix(first, second):
    length = 0
    for a, b in zip(first, second, strict=False):
        if a != b:
            break
        length += 1
    return length


def matching_codes(query):
    """[(ClinicalCode, match kind, rank)] for every stored code related to the query's code.

    A lower rank is a better match: the exact code, then parent categories from the closest
    up, then narrower codes (a record may hold only the category, e.g. M32, where we hold
    M32.14), then other codes in the same three-character category, those sharing more of
    the code first (for M32.14: M32.10 and M32.19 before M32.9): an EHR's code is often more
    or less specific than ours, or a sibling of it.
    """
    broader = broader_codes(query.system, query.code)
    condition = Q(code=query.code) | Q(code__in=broader)
    category = query.code.split(".")[0]
    if query.system == CodeSystem.ICD10CM:
        condition |= Q(code=category) | Q(code__startswith=f"{category}.")
    matches = []
    for clinical_code in ClinicalCode.objects.filter(condition, system=query.system):
        stored = clinical_code.code
        if stored == query.code:
            matches.append((clinical_code, Match.EXACT, 0))
        elif stored in broader:
            matches.append((clinical_code, Match.BROADER, 1 + broader.index(stored)))
        elif stored.startswith(query.code if "." in query.code else f"{query.code}."):
            # Among narrower codes, the closest (shortest) one ranks first.
            matches.append((clinical_code, Match.NARROWER, 100 + len(stored)))
        else:
            matches.append(
                (clinical_code, Match.CATEGORY, 200 - _shared_prefix(stored, query.code))
            )
    return matches


def find_conditions(query):
    """The published conditions that answer the query, best first, each with `match` and
    `matched_code` (None for a name match) set on it."""
    best = {}  # condition id → (rank, match kind, clinical code)
    if query.code:
        codes = matching_codes(query)
        by_id = {
            clinical_code.pk: (rank, kind, clinical_code) for clinical_code, kind, rank in codes
        }
        links = Condition.codes.through.objects.filter(
            clinicalcode__in=list(by_id), condition__in=Condition.objects.published()
        ).values_list("condition_id", "clinicalcode_id")
        for condition_id, code_id in links:
            candidate = by_id[code_id]
            # Equal ranks (M32.10 and M32.19 for M32.14) go to the lower code, on any database.
            current = best.get(condition_id)
            if current is None or (candidate[0], candidate[2].code) < (current[0], current[2].code):
                best[condition_id] = candidate
    if not best and query.display_name:
        found = search(query.display_name, kinds={CONDITION})
        best = {
            document.pk: (1000 + place, Match.NAME, None)
            for place, (_, document) in enumerate(found)
        }

    results = []
    found = Condition.objects.published().with_translation_flags().with_details()
    for condition in found.filter(pk__in=best):
        rank, kind, clinical_code = best[condition.pk]
        condition.match, condition.matched_code = kind, clinical_code
        results.append((rank, condition.name, condition))
    results.sort(key=lambda result: result[:2])
    return [condition for _, _, condition in results]
