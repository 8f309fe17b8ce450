"""The bulk export: every published item, once in the API's own shape (for readers of the
download) and once as its natural-key fixture record (for `load_export`, which restores a mirror
from it into an empty database).

Only published content leaves: relations to unpublished items are dropped from the records,
reviewers appear as the pages name them (name and credentials), and the reviewer's note on
plain language stays behind.
"""

import gzip
import json

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db.models import Max, Q

from changes.models import Change
from editorial.models import Reviewer, Translation

from .api import serializers as api_serializers
from .models import (
    Alias,
    ClinicalCode,
    Condition,
    ConditionMechanism,
    ConditionTreatment,
    GlossaryTerm,
    Mechanism,
    NeuropathyPattern,
    Reference,
    Symptom,
    Treatment,
)

FORMAT_VERSION = 1
# Internal to the workflow: never part of what a mirror holds.
PRIVATE_FIELDS = {"plain_language_exception"}


def _records(queryset, fields=None):
    rows = json.loads(
        serializers.serialize(
            "json",
            queryset.order_by("pk"),
            fields=fields,
            use_natural_foreign_keys=True,
            use_natural_primary_keys=True,
        )
    )
    for row in rows:
        for name in PRIVATE_FIELDS:
            row["fields"].pop(name, None)
    return rows


def _keep_published(rows, field, published_keys):
    for row in rows:
        value = row["fields"].get(field)
        if isinstance(value, list) and (not value or isinstance(value[0], list)):
            row["fields"][field] = [key for key in value if tuple(key) in published_keys]
        elif value is not None and tuple(value) not in published_keys:
            row["fields"][field] = None
    return rows


def last_modified():
    """When published content last changed: its newest `updated`, or the newest log entry
    (which also covers something taken off the site)."""
    moments = [
        model.objects.published().aggregate(latest=Max("updated"))["latest"]
        for model in (Condition, Mechanism, Symptom, Treatment, GlossaryTerm)
    ]
    moments.append(Change.objects.aggregate(latest=Max("at"))["latest"])
    moments = [moment for moment in moments if moment is not None]
    return max(moments) if moments else None


def items(request):
    """(type, slug, API record, source record) for every published item, and the supporting
    source records (type "source") they need, in an order that loads."""
    conditions = Condition.objects.published()
    mechanisms = Mechanism.objects.published()
    symptoms = Symptom.objects.published()
    treatments = Treatment.objects.published()
    glossary = GlossaryTerm.objects.published()
    published = {
        "symptoms": {(slug,) for slug in symptoms.values_list("slug", flat=True)},
        "conditions": {(slug,) for slug in conditions.values_list("slug", flat=True)},
    }
    reviewers = Reviewer.objects.filter(
        Q(pk__in=conditions.values("reviewed_by"))
        | Q(pk__in=mechanisms.values("reviewed_by"))
        | Q(pk__in=symptoms.values("reviewed_by"))
        | Q(pk__in=treatments.values("reviewed_by"))
        | Q(pk__in=glossary.values("reviewed_by"))
    )
    references = Reference.objects.filter(
        Q(conditions__in=conditions) | Q(mechanisms__in=mechanisms) | Q(treatments__in=treatments)
    ).distinct()
    supporting = [
        *_records(reviewers, fields=["slug", "name", "credentials"]),
        *_records(NeuropathyPattern.objects.all()),
        *_records(references),
        *_records(ClinicalCode.objects.filter(conditions__in=conditions).distinct()),
    ]
    for record in supporting:
        yield "source", None, None, record

    context = {"request": request}
    symptom_rows = _keep_published(_records(symptoms), "broader", published["symptoms"])
    symptom_data = {
        symptom.slug: api_serializers.SymptomDetailSerializer(symptom, context=context).data
        for symptom in symptoms.with_published_conditions()
    }
    for record in symptom_rows:
        slug = record["fields"]["slug"]
        yield "symptom", slug, symptom_data[slug], record

    mechanism_data = {
        mechanism.slug: api_serializers.MechanismDetailSerializer(mechanism, context=context).data
        for mechanism in mechanisms.select_related("reviewed_by")
        .prefetch_related("references")
        .with_published_condition_links()
    }
    for record in _records(mechanisms):
        slug = record["fields"]["slug"]
        yield "mechanism", slug, mechanism_data[slug], record

    treatment_data = {
        treatment.slug: api_serializers.TreatmentDetailSerializer(treatment, context=context).data
        for treatment in treatments.with_page_relations()
    }
    for record in _records(treatments):
        slug = record["fields"]["slug"]
        yield "treatment", slug, treatment_data[slug], record

    condition_rows = _records(conditions)
    _keep_published(condition_rows, "symptoms", published["symptoms"])
    _keep_published(condition_rows, "related_conditions", published["conditions"])
    condition_data = {
        condition.slug: api_serializers.ConditionDetailSerializer(condition, context=context).data
        for condition in conditions.with_page_relations()
    }
    for record in condition_rows:
        slug = record["fields"]["slug"]
        yield "condition", slug, condition_data[slug], record
    for record in _records(Alias.objects.published()):
        yield "source", None, None, record
    for record in _records(
        ConditionMechanism.objects.with_published_condition().filter(mechanism__in=mechanisms)
    ):
        yield "source", None, None, record
    for record in _records(
        ConditionTreatment.objects.with_published_condition().filter(treatment__in=treatments)
    ):
        yield "source", None, None, record

    for record in _records(glossary):
        fields = record["fields"]
        data = {"slug": fields["slug"], "term": fields["term"], "definition": fields["definition"]}
        yield "glossary_term", fields["slug"], data, record

    for record in _translation_records(
        [*conditions, *mechanisms, *symptoms, *treatments, *glossary]
    ):
        yield "source", None, None, record


# Translation reviews point at their item by primary key, which a mirror does not share: they
# travel as their item's natural key, and load_export writes them once the items are in.
TRANSLATION_RECORD = "editorial.translation"


def _translation_records(items):
    by_model = {}
    for item in items:
        by_model.setdefault(type(item), {})[item.pk] = item
    for model, members in by_model.items():
        translations = Translation.objects.published().filter(
            content_type__app_label=model._meta.app_label,
            content_type__model=model._meta.model_name,
            object_id__in=list(members),
        )
        for translation in translations.select_related("reviewed_by").order_by("pk"):
            item = members[translation.object_id]
            yield {
                "model": TRANSLATION_RECORD,
                "fields": {
                    "item": [model._meta.label_lower, *item.natural_key()],
                    "language": translation.language,
                    "status": translation.status,
                    "reviewed_by": translation.reviewed_by.natural_key()
                    if translation.reviewed_by
                    else None,
                    "reviewed_on": translation.reviewed_on.isoformat()
                    if translation.reviewed_on
                    else None,
                    "source_version": translation.source_version,
                    "sources": translation.sources,
                },
            }


def restore_translations(records):
    """Write the translation reviews of an export (see TRANSLATION_RECORD) into this database."""
    from django.apps import apps

    for record in records:
        fields = record["fields"]
        label, *key = fields["item"]
        model = apps.get_model(label)
        item = model._default_manager.get_by_natural_key(*key)
        reviewer = fields["reviewed_by"]
        Translation.objects.update_or_create(
            content_type=ContentType.objects.get_for_model(model),
            object_id=item.pk,
            language=fields["language"],
            defaults={
                "status": fields["status"],
                "reviewed_by": Reviewer.objects.get_by_natural_key(*reviewer) if reviewer else None,
                "reviewed_on": fields["reviewed_on"],
                "source_version": fields["source_version"],
                "sources": fields["sources"],
            },
        )


def meta(request, moment):
    latest = Change.objects.order_by("-pk").values_list("pk", flat=True).first()
    return {
        "type": "meta",
        "format_version": FORMAT_VERSION,
        "source": request.build_absolute_uri("/"),
        "last_modified": moment.isoformat() if moment else None,
        "licence": settings.CONTENT_LICENCE,
        "rights": settings.CONTENT_RIGHTS,
        # Where the changes feed stands at this export: ask /api/v1/changes/?since=<this>.
        "changes_cursor": f"c{latest or 0}",
    }


def _line(kind, slug, data, record):
    if kind == "source":
        return {"type": "source", "source": record}
    return {"type": kind, "slug": slug, "data": data, "source": record}


def ndjson(request, moment):
    lines = [meta(request, moment), *(_line(*item) for item in items(request))]
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)


def json_document(request, moment):
    document = {"meta": meta(request, moment), "items": [], "records": []}
    for kind, slug, data, record in items(request):
        document["records"].append(record)
        if kind != "source":
            document["items"].append({"type": kind, "slug": slug, "data": data})
    return json.dumps(document, ensure_ascii=False)


def compressed(text):
    # mtime=0: the same content gives the same bytes, so the same ETag.
    return gzip.compress(text.encode(), mtime=0)


def read(raw):
    """(meta, source records in load order) from an export's bytes: gzip or not, NDJSON or JSON."""
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    lines = [json.loads(line) for line in raw.decode().splitlines() if line.strip()]
    if len(lines) == 1 and "records" in lines[0]:
        return lines[0]["meta"], lines[0]["records"]
    return lines[0], [line["source"] for line in lines[1:]]
