"""Diagnosis-code lookup: from a code in a health record to the conditions that explain it.

Works like MedlinePlus Connect: an electronic health record sends a code (plainly, or in the
HL7 Infobutton form) and gets back the published conditions that carry the code, a broader
category of it, or a narrower code inside it.
"""

import re
from dataclasses import dataclass

from django.db import models
from django.db.models import Q

from conditions.models import CODE_EXAMPLES, CODE_PATTERNS, ClinicalCode, CodeSystem, normalise_code

# HL7 code-system OIDs an Infobutton request names its code system by.
SYSTEM_OIDS = {
    "2.16.840.1.113883.6.90": CodeSystem.ICD10CM,
    "2.16.840.1.113883.6.96": CodeSystem.SNOMEDCT,
    "2.16.840.1.113883.6.177": CodeSystem.MESH,
}

INFOBUTTON_CODE = "mainSearchCriteria.v.c"
INFOBUTTON_SYSTEM = "mainSearchCriteria.v.cs"


class Match(models.TextChoices):
    """How a condition's code relates to the code asked about."""

    EXACT = "exact", "The same code"
    BROADER = "broader", "A parent category of the code asked about"
    NARROWER = "narrower", "A more specific code inside the one asked about"


class InvalidLookup(ValueError):
    """A lookup request that cannot be answered; `errors` maps parameter → messages."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True)
class CodeQuery:
    system: str
    code: str


def parse_query(params):
    """The (system, code) a request asks about, validated; raises InvalidLookup otherwise."""
    plain = "code" in params or "system" in params
    infobutton = INFOBUTTON_CODE in params or INFOBUTTON_SYSTEM in params
    if plain and infobutton:
        raise InvalidLookup(
            {
                "code": [
                    f"Send either system and code, or {INFOBUTTON_SYSTEM} and "
                    f"{INFOBUTTON_CODE}, not both."
                ]
            }
        )
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

    errors = {}
    if not raw_system:
        errors[system_param] = [f"This parameter is required. Accepted values: {accepted}."]
    elif system is None:
        errors[system_param] = [f"Unknown code system “{raw_system}”. Accepted values: {accepted}."]

    raw_code = params.get(code_param, "")
    code = normalise_code(system, raw_code) if system else raw_code.strip().upper()
    if not code:
        errors[code_param] = ["This parameter is required."]
    elif system and not re.match(CODE_PATTERNS[system], code):
        errors[code_param] = [
            f"“{raw_code[:40]}” is not a valid {CodeSystem(system).label} code "
            f"(for example {CODE_EXAMPLES[system]})."
        ]
    if errors:
        raise InvalidLookup(errors)
    return CodeQuery(system=system, code=code)


def broader_codes(system, code):
    """The code's parent categories, closest first: M32.14 → [M32.1, M32]."""
    if system != CodeSystem.ICD10CM or "." not in code:
        # SNOMED CT and MeSH hierarchies are not held locally: those match exactly only.
        return []
    category, detail = code.split(".")
    return [f"{category}.{detail[:length]}" for length in range(len(detail) - 1, 0, -1)] + [
        category
    ]


def matching_codes(query):
    """[(ClinicalCode, match kind, rank)] for every stored code related to the query's code.

    A lower rank is a better match: the exact code, then parent categories from the closest
    up, then narrower codes (a record may hold only the category, e.g. M32, where we hold
    M32.14).
    """
    broader = broader_codes(query.system, query.code)
    condition = Q(code=query.code) | Q(code__in=broader)
    if query.system == CodeSystem.ICD10CM:
        prefix = query.code if "." in query.code else f"{query.code}."
        condition |= Q(code__startswith=prefix) & ~Q(code=query.code)
    matches = []
    for clinical_code in ClinicalCode.objects.filter(condition, system=query.system):
        if clinical_code.code == query.code:
            matches.append((clinical_code, Match.EXACT, 0))
        elif clinical_code.code in broader:
            matches.append((clinical_code, Match.BROADER, 1 + broader.index(clinical_code.code)))
        else:
            # Among narrower codes, the closest (shortest) one ranks first.
            matches.append((clinical_code, Match.NARROWER, 100 + len(clinical_code.code)))
    return matches
