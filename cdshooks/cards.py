"""From a patient-view hook request to education cards.

The request's prefetch holds the patient's FHIR R4 Condition resources; each active one's
ICD-10-CM and SNOMED CT codings are looked up exactly as the Infobutton lookup does
(conditions.api.lookup), and each published condition found becomes one card linking to its
page. Nothing of the request is stored or logged: it is patient data.
"""

import re
import uuid

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation.trans_real import parse_accept_lang_header

from conditions.api.lookup import LANGUAGES, CodeQuery, find_conditions
from conditions.models import CODE_PATTERNS, CodeSystem, normalise_code
from ops.origin import absolute_url

SERVICE_ID = "nerve-health-education"
HOOK = "patient-view"
PREFETCH_KEY = "conditions"
FHIR_SYSTEMS = {
    "http://hl7.org/fhir/sid/icd-10-cm": CodeSystem.ICD10CM,
    "http://snomed.info/sct": CodeSystem.SNOMEDCT,
}
# FHIR clinical statuses of a condition the patient has now.
ACTIVE_STATUSES = {"active", "recurrence", "relapse"}
# Verification statuses that mean the patient does not have it.
NOT_THE_PATIENTS = {"refuted", "entered-in-error"}
MAX_CARDS = 5

SERVICE = {
    "hook": HOOK,
    "id": SERVICE_ID,
    "title": "Nerve Health Guide: patient education",
    "description": (
        "Plain-language pages on how the patient's autoimmune or immune-mediated conditions "
        "can affect the peripheral nerves, matched from their active problem list."
    ),
    "prefetch": {
        PREFETCH_KEY: "Condition?patient={{context.patientId}}&clinical-status=active",
    },
}


class BadHookRequest(ValueError):
    """A hook request this service cannot read; the message says what is wrong."""


def card_language(request):
    """The language cards are written in: the first of the client's Accept-Language that the
    content exists in, else English."""
    for code, _ in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        language = code.split("-")[0].lower()
        if language in LANGUAGES:
            return language
    return LANGUAGES[0]


def _codes(condition):
    if not isinstance(condition, dict) or condition.get("resourceType") != "Condition":
        return []
    if not _is_current(condition):
        return []
    codings = (condition.get("code") or {}).get("coding") or []
    if not isinstance(codings, list):
        raise BadHookRequest("Condition.code.coding must be a list of codings.")
    found = []
    for coding in codings:
        if not isinstance(coding, dict):
            raise BadHookRequest("Each Condition.code.coding must be an object.")
        system = FHIR_SYSTEMS.get(coding.get("system"))
        code = coding.get("code")
        if system is None or not isinstance(code, str):
            continue
        code = normalise_code(system, code)
        if re.match(CODE_PATTERNS[system], code):
            found.append((system, code))
    return found


def _status(condition, field):
    concept = condition.get(field) or {}
    codings = concept.get("coding") if isinstance(concept, dict) else None
    if not isinstance(codings, list):
        return set()
    return {coding.get("code") for coding in codings if isinstance(coding, dict)}


def _is_current(condition):
    clinical = _status(condition, "clinicalStatus")
    # Without a clinical status the record says nothing against it (the prefetch asked for
    # active ones).
    if clinical and not clinical & ACTIVE_STATUSES:
        return False
    return not _status(condition, "verificationStatus") & NOT_THE_PATIENTS


def conditions_in(prefetch):
    """The Condition resources of the prefetched Bundle (or a bare list of resources)."""
    if not isinstance(prefetch, dict):
        raise BadHookRequest("prefetch must be an object.")
    if PREFETCH_KEY not in prefetch:
        raise BadHookRequest(
            f"prefetch.{PREFETCH_KEY} is required (the template in /cds-services): this "
            "service does not query FHIR servers."
        )
    bundle = prefetch[PREFETCH_KEY]
    if bundle is None:
        return []
    if not isinstance(bundle, dict) or bundle.get("resourceType") not in {"Bundle", "Condition"}:
        raise BadHookRequest(f"prefetch.{PREFETCH_KEY} must be a FHIR Bundle of Conditions.")
    if bundle["resourceType"] == "Condition":
        return [bundle]
    entries = bundle.get("entry") or []
    if not isinstance(entries, list):
        raise BadHookRequest("Bundle.entry must be a list.")
    return [entry.get("resource") for entry in entries if isinstance(entry, dict)]


def validate(payload):
    if not isinstance(payload, dict):
        raise BadHookRequest("The request body must be a JSON object.")
    if payload.get("hook") != HOOK:
        raise BadHookRequest(f"This service answers the {HOOK} hook only.")
    if not isinstance(payload.get("hookInstance"), str) or not payload["hookInstance"]:
        raise BadHookRequest("hookInstance is required (a UUID).")
    context = payload.get("context")
    if not isinstance(context, dict) or not isinstance(context.get("patientId"), str):
        raise BadHookRequest("context.patientId is required.")
    return conditions_in(payload.get("prefetch", {}))


def cards(request, payload):
    """The cards for a hook request, in the language it asks for; BadHookRequest if it cannot
    be read."""
    resources = validate(payload)
    language = card_language(request)
    with translation.override(language):
        return _cards(request, resources, language)


def _cards(request, resources, language):
    best = {}  # our condition's pk → (place, condition)
    place = 0
    for resource in resources:
        for system, code in _codes(resource):
            for condition in find_conditions(CodeQuery(system, code, language=language)):
                place += 1
                best.setdefault(condition.pk, (place, condition))
    chosen = [condition for _, condition in sorted(best.values(), key=lambda pair: pair[0])]
    source = {
        "label": settings.SITE_NAME,
        "url": absolute_url("/"),
        "topic": {"system": absolute_url("/cds-services"), "code": "education"},
    }
    return [
        {
            "uuid": str(uuid.uuid4()),
            "summary": (gettext("Patient education: %(name)s") % {"name": condition.name})[:140],
            "indicator": "info",
            "detail": condition.summary,
            "source": source,
            "links": [
                {
                    "label": (gettext("Read about %(name)s") % {"name": condition.name})[:140],
                    "url": absolute_url(condition.get_absolute_url()),
                    "type": "absolute",
                }
            ],
        }
        for condition in chosen[:MAX_CARDS]
    ]
