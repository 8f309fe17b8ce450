"""Read-only viewsets for the public API. Only published content ever leaves through here.

Every endpoint is strict about its query string: an unknown parameter or an invalid value is a
400 naming it (see exceptions.py for the body), never silently ignored.
"""

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.decorators import method_decorator
from django.utils.http import http_date
from django_filters import utils
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import filters, negotiation, pagination, renderers, viewsets
from rest_framework.exceptions import NotAcceptable, ValidationError
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from changes.models import Change
from conditions import comparisons, export
from conditions.filters import ConditionFilter
from conditions.models import (
    CODE_EXAMPLES,
    CodeSystem,
    Condition,
    Mechanism,
    Symptom,
    Treatment,
)
from conditions.pagination import (
    CONDITIONS_PER_PAGE,
    MAX_PAGE_SIZE,
    InvalidPage,
    page_number,
    page_size,
)
from conditions.views import compared_conditions
from ops.origin import absolute_url
from ops.proxies import client_ip
from sitecache.pages import cache_public_page

from . import infobutton, serializers
from .languages import LANG_PARAMETER, LanguageMixin
from .lookup import (
    INFOBUTTON_CODE,
    INFOBUTTON_DISPLAY_NAME,
    INFOBUTTON_LANGUAGE,
    INFOBUTTON_PARAMETERS,
    INFOBUTTON_RECIPIENT,
    INFOBUTTON_RESPONSE_TYPE,
    INFOBUTTON_SYSTEM,
    LANGUAGE_SPELLINGS,
    LANGUAGES,
    SYSTEM_OIDS,
    InvalidLookup,
    Recipient,
    find_conditions,
    parse_query,
)


class AnonymousThrottle(AnonRateThrottle):
    """Per-address limit, read from settings on each request so it can be tuned and tested."""

    def get_rate(self):
        return settings.API_THROTTLE_RATE

    def get_ident(self, request):
        # The login lockout's rule (TRUSTED_PROXY_COUNT), not DRF's NUM_PROXIES: left unset,
        # DRF would count every forged X-Forwarded-For value as a new client.
        return client_ip(request)


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


@method_decorator(cache_public_page(free_text=["q"]), name="list")
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


@extend_schema_view(
    list=extend_schema(summary="List published treatments"),
    retrieve=extend_schema(
        summary="One published treatment, with its sections and the conditions it is used for"
    ),
)
class TreatmentViewSet(PublicReadOnlyViewSet):
    """Published treatments: what each is, how it is given, its side effects, its roles."""

    def get_queryset(self):
        treatments = Treatment.objects.published()
        if self.action == "retrieve":
            return treatments.with_page_relations()
        return treatments.select_related("reviewed_by").prefetch_related("references")

    serializer_class = serializers.TreatmentSerializer
    detail_serializer_class = serializers.TreatmentDetailSerializer


LOOKUP_DESCRIPTION = """Diagnosis-code lookup (HL7 Infobutton), like MedlinePlus Connect.

Send either `system` and `code`, or the HL7 Infobutton parameters of the URL-based
implementation guide: `mainSearchCriteria.v.cs` (a code system OID) and
`mainSearchCriteria.v.c`, and/or `mainSearchCriteria.v.dn` (the display name, searched when no
code matches). Codes are accepted with or without the dot, in any case (`M32.14`, `m3214`);
ORPHAcodes with or without `ORPHA:`.

The answer lists the published conditions related to the code sent, best first:

1. `exact`: the condition holds the code itself;
2. `broader`: it holds a parent category (for M32.14: M32.1, then M32), closest first;
3. `narrower` (ICD-10-CM only): it holds a more specific code inside the one sent (for M32:
   M32.14), so a record that codes only the category still finds its condition;
4. `category` (ICD-10-CM only): it holds another code in the same three-character category
   (for M32.14: M32.10, M32.19, then M32.9), those sharing more of the code first;
5. `name`: no code matched, and its name or another name matches `mainSearchCriteria.v.dn`.

Each result carries the condition's code it matched on (`matched_code`, null for a name match)
and how (`match`). SNOMED CT, MeSH and ORPHA codes match exactly only. No match gives a 200
with an empty list.

`informationRecipient` is `PAT` (default: the patient page) or `PROV` (the page opened at "How
it is diagnosed", whose text the summary then includes). `informationRecipient.languageCode.c`
picks the language; the content is in English (`en`) today, and another language is a 400.

`knowledgeResponseType` picks the answer's form: `text/xml` (or an `Accept` of
`application/atom+xml` or `text/xml`) gives the Infobutton Atom 1.0 feed
(`application/atom+xml`); `application/json` gives the guide's JSON form of that feed; without
it, the structured JSON below. Any other type is a 406 listing the supported ones. Other
Infobutton context parameters (names containing a dot) are accepted and ignored.
"""


class AtomRenderer(renderers.BaseRenderer):
    """Passes on the Atom document the lookup wrote (infobutton.atom)."""

    media_type = "application/atom+xml"
    format = "atom"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class InfobuttonNegotiation(negotiation.DefaultContentNegotiation):
    """knowledgeResponseType, when sent, decides the answer's form; else the Accept header."""

    def select_renderer(self, request, renderers, format_suffix=None):
        form = infobutton.requested_form(request)
        if form is None:
            raise NotAcceptable(
                f"Unsupported {INFOBUTTON_RESPONSE_TYPE}. Supported: "
                + ", ".join(infobutton.RESPONSE_TYPES)
                + "."
            )
        by_format = {renderer.format: renderer for renderer in renderers}
        if form == infobutton.ATOM:
            return by_format["atom"], AtomRenderer.media_type
        if INFOBUTTON_RESPONSE_TYPE in request.query_params:
            return by_format["json"], "application/json"
        return super().select_renderer(request, renderers, format_suffix)


# Any code, and any Infobutton parameter (accepted and ignored): kept out of the shared cache.
@method_decorator(cache_public_page(shared=False), name="get")
class LookupView(LanguageMixin, APIView):
    """From a diagnosis code in a health record to the published conditions that explain it."""

    throttle_classes = [AnonymousThrottle]
    renderer_classes = [renderers.JSONRenderer, AtomRenderer]
    content_negotiation_class = InfobuttonNegotiation
    infobutton_language = True

    def accepted_values(self):
        codes = [f"{system.label}: e.g. {CODE_EXAMPLES[system]}" for system in CodeSystem]
        return {
            "system": list(CodeSystem.values),
            "code": codes,
            INFOBUTTON_SYSTEM: list(SYSTEM_OIDS),
            INFOBUTTON_CODE: codes,
            INFOBUTTON_DISPLAY_NAME: ["a condition's name, e.g. lupus"],
            INFOBUTTON_RECIPIENT: list(Recipient.values),
            LANG_PARAMETER: ["en", "es"],
            INFOBUTTON_LANGUAGE: [*LANGUAGES, *LANGUAGE_SPELLINGS],
            **{
                name: ["system", "code", *INFOBUTTON_PARAMETERS, LANG_PARAMETER]
                for name in self.unknown_parameters(self.request)
            },
        }

    @staticmethod
    def unknown_parameters(request):
        # An Infobutton request carries context we do not use (patient age, task, ...).
        return sorted(
            name
            for name in request.query_params
            if name not in {"system", "code", *INFOBUTTON_PARAMETERS, LANG_PARAMETER}
            and "." not in name
        )

    def handle_exception(self, exc):
        # Errors are answered in JSON, whatever form the answer would have had.
        self.request.accepted_renderer = renderers.JSONRenderer()
        self.request.accepted_media_type = "application/json"
        return super().handle_exception(exc)

    @extend_schema(
        summary="Find conditions by diagnosis code (HL7 Infobutton)",
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
                INFOBUTTON_DISPLAY_NAME,
                description="HL7 Infobutton: the display name, searched when no code matches.",
            ),
            OpenApiParameter(
                INFOBUTTON_RECIPIENT,
                enum=Recipient.values,
                description="HL7 Infobutton: PAT (patient, default) or PROV (provider).",
            ),
            OpenApiParameter(
                INFOBUTTON_LANGUAGE,
                enum=[*LANGUAGES, *LANGUAGE_SPELLINGS],
                description="HL7 Infobutton: the reader's language (sp is Spanish, as "
                "MedlinePlus Connect spells it). `lang` wins if both are sent.",
            ),
            OpenApiParameter(
                LANG_PARAMETER, enum=["en", "es"], description="The answer's language."
            ),
            OpenApiParameter(
                INFOBUTTON_RESPONSE_TYPE,
                enum=list(infobutton.RESPONSE_TYPES),
                description="HL7 Infobutton: the answer's form (Atom, or its JSON form).",
            ),
        ],
        responses={
            (200, "application/json"): PolymorphicProxySerializer(
                component_name="LookupAnswer",
                serializers=[
                    serializers.LookupResponseSerializer,
                    serializers.InfobuttonJsonFeedSerializer,
                ],
                resource_type_field_name=None,
            ),
            (200, "application/atom+xml"): OpenApiTypes.STR,
        },
    )
    def get(self, request):
        unknown = self.unknown_parameters(request)
        if unknown:
            raise ValidationError({name: ["Unknown parameter."] for name in unknown})
        try:
            query = parse_query(request.query_params)
        except InvalidLookup as invalid:
            raise ValidationError(invalid.errors) from None
        conditions = find_conditions(query)
        form = infobutton.requested_form(request)
        if form == infobutton.ATOM:
            return Response(infobutton.atom(infobutton.build_feed(request, query, conditions)))
        if form == infobutton.INFOBUTTON_JSON:
            return Response(infobutton.json_form(infobutton.build_feed(request, query, conditions)))
        return Response(
            {
                "query": {"system": query.system, "code": query.code},
                "count": len(conditions),
                "results": serializers.LookupResultSerializer(
                    conditions, many=True, context={"request": request}
                ).data,
            }
        )


CHANGES_PAGE_SIZE = 100
MAX_CHANGES_PAGE_SIZE = 1000
CURSOR_PREFIX = "c"


def parse_since(raw):
    """A `since` value as a filter on the log: a cursor ("c123") or an ISO 8601 date or time."""
    raw = raw.strip()
    if raw.startswith(CURSOR_PREFIX) and raw[len(CURSOR_PREFIX) :].isdigit():
        return Q(pk__gt=int(raw[len(CURSOR_PREFIX) :]))
    try:
        moment = parse_datetime(raw)
        if moment is None:
            day = parse_date(raw)
            moment = day and datetime.datetime.combine(day, datetime.time())
    except ValueError:
        moment = None
    if moment is None:
        raise ValidationError(
            {"since": ["Give a cursor from an earlier answer (c123) or an ISO 8601 date or time."]}
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return Q(at__gt=moment)


@method_decorator(cache_public_page, name="get")
class ChangesView(APIView):
    """Every public change since a moment or a cursor, oldest first: what a mirror applies."""

    throttle_classes = [AnonymousThrottle]
    parameters = {"since", "page_size"}

    def accepted_values(self):
        return {
            "since": ["a cursor from an earlier answer (c123)", "an ISO 8601 date or time"],
            "page_size": [f"a whole number from 1 to {MAX_CHANGES_PAGE_SIZE}"],
            **{name: sorted(self.parameters) for name in self.request.query_params},
        }

    @extend_schema(
        summary="Public changes since a cursor or a time (for mirrors)",
        description=(
            "Every public change, oldest first: published, updated, unpublished and deleted "
            "pages, with their addresses. Unpublished and deleted items are tombstones: remove "
            "what you hold at that address. Follow `next` until it is null, keep "
            "`next_cursor` and ask again later with `since=<next_cursor>`. Start from the "
            "export (`/api/v1/export/`), whose `changes_cursor` says where it stands."
        ),
        parameters=[
            OpenApiParameter(
                "since", description="A cursor (c123) or an ISO 8601 date or time (UTC if naive)."
            ),
            OpenApiParameter(
                "page_size",
                int,
                description=f"Changes per page (default {CHANGES_PAGE_SIZE}).",
            ),
        ],
        responses={200: serializers.ChangesPageSerializer},
    )
    def get(self, request):
        unknown = sorted(set(request.query_params) - self.parameters)
        if unknown:
            raise ValidationError({name: ["Unknown parameter."] for name in unknown})
        changes = Change.objects.all()
        since = request.query_params.get("since")
        if since is not None:
            changes = changes.filter(parse_since(since))
        try:
            size = page_size(request.query_params.get("page_size"), CHANGES_PAGE_SIZE)
        except InvalidPage as invalid:
            raise ValidationError({"page_size": [str(invalid)]}) from None
        size = min(size, MAX_CHANGES_PAGE_SIZE)
        rows = list(changes.order_by("pk")[: size + 1])
        more, rows = len(rows) > size, rows[:size]
        if rows:
            next_cursor = f"{CURSOR_PREFIX}{rows[-1].pk}"
        elif since is not None and since.strip().startswith(CURSOR_PREFIX):
            next_cursor = since.strip()
        else:
            latest = Change.objects.order_by("-pk").values_list("pk", flat=True).first()
            next_cursor = f"{CURSOR_PREFIX}{latest or 0}"
        next_url = None
        if more:
            query = {"since": next_cursor}
            if "page_size" in request.query_params:
                query["page_size"] = size
            next_url = absolute_url(f"{request.path}?{urlencode(query)}")
        return Response(
            {
                "count": len(rows),
                "next": next_url,
                "next_cursor": next_cursor,
                "results": serializers.ChangeSerializer(
                    rows, many=True, context={"request": request}
                ).data,
            }
        )


class GzipRenderer(renderers.BaseRenderer):
    """Lets a client that asks for the gzip download by its media type get it."""

    media_type = "application/gzip"
    format = "gzip"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


EXPORT_FORMATS = {"ndjson": export.ndjson, "json": export.json_document}


@method_decorator(cache_public_page, name="get")
class ExportView(APIView):
    """All published content in one gzip download, for sites that keep a copy."""

    throttle_classes = [AnonymousThrottle]
    renderer_classes = [renderers.JSONRenderer, GzipRenderer]

    def accepted_values(self):
        return {
            "format": list(EXPORT_FORMATS),
            **{name: ["format"] for name in self.request.query_params if name != "format"},
        }

    def handle_exception(self, exc):
        self.request.accepted_renderer = renderers.JSONRenderer()
        self.request.accepted_media_type = "application/json"
        return super().handle_exception(exc)

    @extend_schema(
        summary="Every published page in one download (gzip)",
        description=(
            "All published conditions, mechanisms, symptoms and glossary terms, gzip-compressed: "
            "NDJSON by default (a `meta` line, then one line per item: `type`, `slug`, `data` "
            "in the shape of the API's detail records, and `source`, the natural-key record "
            "`manage.py load_export` restores a mirror from) or one JSON document "
            "(`format=json`: `meta`, `items`, `records`). `meta` states the content licence "
            "and `changes_cursor`, where to start reading `/api/v1/changes/`. Send the ETag "
            "back as If-None-Match (or Last-Modified as If-Modified-Since) to download it only "
            "after a change: an unchanged export is a 304."
        ),
        parameters=[
            OpenApiParameter(
                "format",
                enum=list(EXPORT_FORMATS),
                description="ndjson (default) or json; gzip-compressed either way.",
            )
        ],
        responses={(200, "application/gzip"): OpenApiTypes.BINARY},
    )
    def get(self, request):
        unknown = sorted(set(request.query_params) - {"format"})
        if unknown:
            raise ValidationError({name: ["Unknown parameter."] for name in unknown})
        kind = request.query_params.get("format", "ndjson")
        if kind not in EXPORT_FORMATS:
            raise ValidationError({"format": ["Choose ndjson or json."]})
        moment = export.last_modified()
        response = HttpResponse(
            export.compressed(EXPORT_FORMATS[kind](request, moment)),
            content_type="application/gzip",
        )
        response["Content-Disposition"] = f'attachment; filename="nerve-health-guide.{kind}.gz"'
        if moment is not None:
            response["Last-Modified"] = http_date(moment.timestamp())
        return response


@method_decorator(cache_public_page, name="get")
class CompareView(APIView):
    """Two or three published conditions side by side, as the /compare/ page shows them."""

    throttle_classes = [AnonymousThrottle]

    def accepted_values(self):
        accepted = {
            "condition": [
                f"{comparisons.MIN_COMPARED} or {comparisons.MAX_COMPARED} slugs of published "
                "conditions, the parameter repeated"
            ]
        }
        for name in set(self.request.query_params) - {"condition"}:
            accepted[name] = ["condition"]
        return accepted

    @extend_schema(
        summary="Compare 2 or 3 conditions",
        parameters=[
            OpenApiParameter(
                "condition",
                many=True,
                required=True,
                description="A published condition's slug; give it 2 or 3 times.",
            )
        ],
        responses={200: serializers.ComparisonSerializer},
    )
    def get(self, request):
        unknown = sorted(set(request.query_params) - {"condition"})
        if unknown:
            raise ValidationError({name: ["Unknown parameter."] for name in unknown})
        try:
            conditions = compared_conditions(request.query_params.getlist("condition"))
        except comparisons.InvalidComparison as invalid:
            raise ValidationError({"condition": invalid.errors}) from None
        curated = comparisons.curated_for(condition.slug for condition in conditions)
        payload = {
            "conditions": conditions,
            "rows": [
                {
                    "heading": heading,
                    "cells": [
                        {"condition": condition.slug, "lines": lines} for condition, lines in cells
                    ],
                }
                for heading, cells in comparisons.rows(conditions)
            ],
            "differences": curated.differences.splitlines() if curated else [],
        }
        return Response(
            serializers.ComparisonSerializer(payload, context={"request": request}).data
        )
