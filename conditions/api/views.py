"""Read-only viewsets for the public API. Only published content ever leaves through here.

Every endpoint is strict about its query string: an unknown parameter or an invalid value is a
400 naming it (see exceptions.py for the body), never silently ignored.
"""

from django.conf import settings
from django.http import Http404
from django.utils.decorators import method_decorator
from django_filters import utils
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import filters, pagination, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from conditions.filters import ConditionFilter
from conditions.models import (
    CODE_EXAMPLES,
    CodeSystem,
    Condition,
    Mechanism,
    Symptom,
)
from conditions.pagination import (
    CONDITIONS_PER_PAGE,
    MAX_PAGE_SIZE,
    InvalidPage,
    page_number,
    page_size,
)
from sitecache.pages import cache_public_page

from . import serializers
from .languages import INFOBUTTON_LANGUAGE, LANG_PARAMETER, LanguageMixin
from .lookup import (
    INFOBUTTON_CODE,
    INFOBUTTON_SYSTEM,
    SYSTEM_OIDS,
    InvalidLookup,
    matching_codes,
    parse_query,
)


class AnonymousThrottle(AnonRateThrottle):
    """Per-address limit, read from settings on each request so it can be tuned and tested."""

    def get_rate(self):
        return settings.API_THROTTLE_RATE


class StrictPageNumberPagination(pagination.PageNumberPagination):
    """Page numbers from 1; a bad `page` or `page_size` is a 400, a page past the end a 404."""

    page_size = CONDITIONS_PER_PAGE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    invalid_page_message = "Page {page_number} does not exist: {message}."

    def get_page_size(self, request):
        try:
            return page_size(request.query_params.get(self.page_size_query_param), self.page_size)
        except InvalidPage as invalid:
            raise ValidationError({self.page_size_query_param: [str(invalid)]}) from None

    def get_schema_operation_parameters(self, view):
        number = {"type": "integer", "minimum": 1}
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Page number, from 1. A page past the last gives a 404.",
                "schema": number,
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page (default {self.page_size}).",
                "schema": {**number, "maximum": self.max_page_size},
            },
        ]

    def paginate_queryset(self, queryset, request, view=None):
        try:
            page_number(request.query_params.get(self.page_query_param))
        except InvalidPage as invalid:
            raise ValidationError({self.page_query_param: [str(invalid)]}) from None
        return super().paginate_queryset(queryset, request, view)


class StrictOrderingFilter(filters.OrderingFilter):
    """DRF's ordering, but an unknown field is a 400 instead of being quietly dropped."""

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if raw is None:
            return self.get_default_ordering(view)
        terms = [term.strip() for term in raw.split(",")]
        accepted = ordering_choices(view)
        if not raw or any(term not in accepted for term in terms):
            raise ValidationError(
                {self.ordering_param: [f"Choose from {', '.join(accepted)} (comma-separated)."]}
            )
        return terms

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": (
                    "Sort order; a leading minus reverses it. Default: name, or best match "
                    "first for a search (q)."
                ),
                "schema": {
                    "type": "array",
                    "items": {"type": "string", "enum": ordering_choices(view)},
                },
                "style": "form",
                "explode": False,
            }
        ]


def ordering_choices(view):
    return [
        prefix + field for field in getattr(view, "ordering_fields", []) for prefix in ("", "-")
    ]


def filter_accepted_values(filterset_class):
    """What each FilterSet parameter accepts, read off its form so it never drifts."""
    accepted = {}
    for name, field in filterset_class().form.fields.items():
        queryset = getattr(field, "queryset", None)
        if queryset is not None:
            accepted[name] = [
                str(value) for value in queryset.values_list(field.to_field_name, flat=True)
            ]
        elif getattr(field, "choices", None):
            accepted[name] = [str(value) for value, _ in field.choices if value != ""]
        else:
            max_length = getattr(field, "max_length", None)
            limit = f" up to {max_length} characters" if max_length else ""
            accepted[name] = [f"any text{limit}"]
    return accepted


class ConditionFilterBackend(DjangoFilterBackend):
    """The shared FilterSet, ending in what the HTML list shows too: its results().

    So a search is best match first unless `ordering` is given. It comes after the ordering
    backend, since a search's results are a sequence for the paginator, not a queryset to
    order. (schema.py documents its slug filters.)
    """

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if not filterset.is_valid():
            raise utils.translate_validation(filterset.errors)
        ordering_given = StrictOrderingFilter.ordering_param in request.query_params
        return filterset.results(ordered_by_caller=ordering_given)


# Parameters of the shared FilterSet that the API replaces: it orders with DRF's `ordering`.
API_EXCLUDED_FILTERS = {"sort"}


@method_decorator(cache_public_page, name="list")
@method_decorator(cache_public_page, name="retrieve")
class PublicReadOnlyViewSet(LanguageMixin, viewsets.ReadOnlyModelViewSet):
    """Shared by every endpoint: strict query strings, throttling and public caching."""

    throttle_classes = [AnonymousThrottle]
    pagination_class = StrictPageNumberPagination
    filter_backends = []
    lookup_field = "slug"

    detail_serializer_class = None  # what retrieve answers with (a fuller record)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return self.detail_serializer_class
        return self.serializer_class

    def allowed_parameters(self):
        if self.action != "list":
            return {LANG_PARAMETER}
        allowed = {"page", "page_size", LANG_PARAMETER}
        if getattr(self, "filterset_class", None):
            allowed |= set(self.filterset_class.base_filters) - API_EXCLUDED_FILTERS
        if getattr(self, "ordering_fields", None):
            allowed.add("ordering")
        return allowed

    def accepted_values(self):
        accepted = {
            "page": ["a whole number from 1 to the last page"],
            "page_size": [f"a whole number from 1 to {MAX_PAGE_SIZE}"],
            "ordering": ordering_choices(self),
            LANG_PARAMETER: ["en", "es"],
        }
        if getattr(self, "filterset_class", None):
            accepted.update(filter_accepted_values(self.filterset_class))
        allowed = sorted(self.allowed_parameters())
        unknown = set(self.request.query_params) - set(allowed) if self.request else set()
        accepted.update({name: allowed or ["no query parameters"] for name in unknown})
        return accepted

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        unknown = sorted(set(request.query_params) - self.allowed_parameters())
        if unknown:
            raise ValidationError({name: ["Unknown parameter."] for name in unknown})

    def get_object(self):
        # By its slug in the language asked for, or its English slug (as the pages are).
        item = self.get_queryset().with_slug(self.kwargs[self.lookup_field]).first()
        if item is None:
            raise Http404(
                f"No {self.get_queryset().model._meta.object_name} matches the given query."
            )
        return item

    def filter_queryset(self, queryset):
        # One object is found by its slug alone, and retrieve takes no query parameters
        # (allowed_parameters): building the FilterSet and the ordering for it is wasted work.
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)


@extend_schema_view(
    list=extend_schema(
        summary="List published conditions",
        description=(
            "Filtered with exactly the parameters of the HTML list at /conditions/ (the same "
            "FilterSet), ordered with `ordering` (a search is best match first unless it is "
            "given), paginated by page number."
        ),
        # The HTML list's `sort` is replaced here by DRF's `ordering`.
        parameters=[OpenApiParameter("sort", exclude=True)],
    ),
    retrieve=extend_schema(summary="One published condition, with every section"),
)
class ConditionViewSet(PublicReadOnlyViewSet):
    """Published conditions: the list filtered like the HTML list, the detail with its text."""

    filter_backends = [StrictOrderingFilter, ConditionFilterBackend]
    filterset_class = ConditionFilter
    ordering_fields = ["name", "updated"]
    ordering = ["name"]

    def get_queryset(self):
        conditions = Condition.objects.published().with_translation_flags()
        if self.action == "retrieve":
            return conditions.with_page_relations()
        return conditions.with_details()

    serializer_class = serializers.ConditionSerializer
    detail_serializer_class = serializers.ConditionDetailSerializer


@extend_schema_view(
    list=extend_schema(summary="List published mechanisms"),
    retrieve=extend_schema(summary="One published mechanism, with the conditions that use it"),
)
class MechanismViewSet(PublicReadOnlyViewSet):
    """Published mechanisms: the ways the immune system harms peripheral nerves."""

    def get_queryset(self):
        mechanisms = (
            Mechanism.objects.published()
            .with_translation_flags()
            .select_related("reviewed_by")
            .prefetch_related("references")
        )
        if self.action == "retrieve":
            return mechanisms.with_published_condition_links()
        return mechanisms

    serializer_class = serializers.MechanismSerializer
    detail_serializer_class = serializers.MechanismDetailSerializer


@extend_schema_view(
    list=extend_schema(summary="List symptoms"),
    retrieve=extend_schema(summary="One symptom, with the published conditions that cause it"),
)
class SymptomViewSet(PublicReadOnlyViewSet):
    """Symptoms in patients' words, with the clinical term."""

    def get_queryset(self):
        symptoms = Symptom.objects.published().with_translation_flags()
        if self.action == "retrieve":
            return symptoms.with_published_conditions()
        return symptoms.select_related("reviewed_by")

    serializer_class = serializers.SymptomSerializer
    detail_serializer_class = serializers.SymptomDetailSerializer


LOOKUP_DESCRIPTION = """Diagnosis-code lookup for health records, like MedlinePlus Connect.

Send either `system` and `code`, or the HL7 Infobutton pair `mainSearchCriteria.v.cs` (a code
system OID) and `mainSearchCriteria.v.c`. Codes are accepted with or without the dot, in any
case (`M32.14`, `m3214`).

The answer lists the published conditions whose codes relate to the code sent, best first:

1. `exact`: the condition holds the code itself;
2. `broader`: it holds a parent category (for M32.14: M32.1, then M32), closest first;
3. `narrower` (ICD-10-CM only): it holds a more specific code inside the one sent (for M32:
   M32.14), so a record that codes only the category still finds its condition.

Each result carries the condition's code it matched on (`matched_code`) and how (`match`).
SNOMED CT and MeSH codes match exactly only. No match gives a 200 with an empty list.
Other Infobutton context parameters (names containing a dot, `knowledgeResponseType`) are
accepted and ignored.
"""


@method_decorator(cache_public_page, name="get")
class LookupView(LanguageMixin, APIView):
    """From a diagnosis code in a health record to the published conditions that explain it."""

    throttle_classes = [AnonymousThrottle]
    infobutton_language = True

    def accepted_values(self):
        return {
            "system": list(CodeSystem.values),
            "code": [f"{system.label}: e.g. {CODE_EXAMPLES[system]}" for system in CodeSystem],
            INFOBUTTON_SYSTEM: list(SYSTEM_OIDS),
            INFOBUTTON_CODE: [
                f"{system.label}: e.g. {CODE_EXAMPLES[system]}" for system in CodeSystem
            ],
            LANG_PARAMETER: ["en", "es"],
            INFOBUTTON_LANGUAGE: ["en", "es", "sp"],
            **{
                name: ["system", "code", INFOBUTTON_SYSTEM, INFOBUTTON_CODE, LANG_PARAMETER]
                for name in self.unknown_parameters(self.request)
            },
        }

    @staticmethod
    def unknown_parameters(request):
        # An Infobutton request carries context we do not use (patient age, task, ...).
        return sorted(
            name
            for name in request.query_params
            if name not in {"system", "code", INFOBUTTON_SYSTEM, INFOBUTTON_CODE, LANG_PARAMETER}
            and "." not in name
            and name != "knowledgeResponseType"
        )

    @extend_schema(
        summary="Find conditions by diagnosis code",
        description=LOOKUP_DESCRIPTION,
        parameters=[
            OpenApiParameter("system", enum=CodeSystem.values, description="The code system."),
            OpenApiParameter("code", description="The code, e.g. M32.14 or 40956001."),
            OpenApiParameter(
                INFOBUTTON_SYSTEM,
                enum=list(SYSTEM_OIDS),
                description="HL7 Infobutton: the code system's OID.",
            ),
            OpenApiParameter(INFOBUTTON_CODE, description="HL7 Infobutton: the code."),
            OpenApiParameter(
                INFOBUTTON_LANGUAGE,
                enum=["en", "es", "sp"],
                description="HL7 Infobutton: the reader's language (sp is Spanish, as "
                "MedlinePlus Connect spells it). `lang` wins if both are sent.",
            ),
        ],
        responses={200: serializers.LookupResponseSerializer},
    )
    def get(self, request):
        unknown = self.unknown_parameters(request)
        if unknown:
            raise ValidationError({name: ["Unknown parameter."] for name in unknown})
        try:
            query = parse_query(request.query_params)
        except InvalidLookup as invalid:
            raise ValidationError(invalid.errors) from None

        best = {}  # condition id → (rank, match kind, clinical code)
        codes = matching_codes(query)
        links = Condition.codes.through.objects.filter(
            clinicalcode__in=[clinical_code for clinical_code, _, _ in codes],
            condition__in=Condition.objects.published(),
        ).values_list("condition_id", "clinicalcode_id")
        by_id = {
            clinical_code.pk: (rank, kind, clinical_code) for clinical_code, kind, rank in codes
        }
        for condition_id, code_id in links:
            candidate = by_id[code_id]
            if condition_id not in best or candidate[0] < best[condition_id][0]:
                best[condition_id] = candidate

        results = []
        found = Condition.objects.published().with_translation_flags().with_details()
        for condition in found.filter(pk__in=best):
            rank, kind, clinical_code = best[condition.pk]
            condition.match, condition.matched_code = kind, clinical_code
            results.append((rank, condition.name, condition))
        results.sort(key=lambda result: result[:2])
        payload = {
            "query": {"system": query.system, "code": query.code},
            "count": len(results),
            "results": serializers.LookupResultSerializer(
                [condition for _, _, condition in results], many=True, context={"request": request}
            ).data,
        }
        return Response(payload)
