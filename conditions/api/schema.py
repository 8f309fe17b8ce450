"""OpenAPI generation: every operation documents the error bodies exceptions.py produces."""

import django_filters
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_array_type, build_basic_type, build_parameter_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from . import serializers

ERROR_RESPONSES = {
    "400": OpenApiResponse(
        serializers.InvalidParametersSerializer,
        description="An unknown query parameter, or a parameter with an invalid value.",
    ),
    "404": OpenApiResponse(
        serializers.ErrorSerializer, description="No such object, or a page past the last."
    ),
    "405": OpenApiResponse(
        serializers.ErrorSerializer, description="The API is read-only: only GET, HEAD, OPTIONS."
    ),
    "406": OpenApiResponse(
        serializers.ErrorSerializer, description="The Accept header excludes JSON."
    ),
    "429": OpenApiResponse(
        serializers.ThrottledSerializer,
        description="Too many requests from this address; see the Retry-After header.",
    ),
}


LANG_PARAMETER = OpenApiParameter(
    "lang",
    enum=["en", "es"],
    description=(
        "The language to answer in. Without it, the Accept-Language header decides "
        "(English if it names neither). Content-Language says which was used."
    ),
)


class PublicApiSchema(AutoSchema):
    def get_override_parameters(self):
        return [*super().get_override_parameters(), LANG_PARAMETER]

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        responses["304"] = {"description": "Not modified: the If-None-Match ETag still matches."}
        for code, response in ERROR_RESPONSES.items():
            responses.setdefault(
                code, self._get_response_for_code(response, code, direction=direction)
            )
        return responses


class SlugFilterExtension(DjangoFilterExtension):
    """Documents slug filters (`mechanism`, `symptom`, `pattern`) as repeatable enums of slugs.

    The enum lists the slugs published when the schema is generated, so the document always
    matches what the filter accepts; spectacular cannot infer it through the many-to-many.
    """

    target_class = "conditions.api.views.ConditionFilterBackend"
    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        if not isinstance(filter_field, django_filters.ModelMultipleChoiceFilter):
            return super().resolve_filter_field(
                auto_schema, model, filterset_class, field_name, filter_field
            )
        queryset = filter_field.extra["queryset"]
        slugs = sorted(queryset.values_list(filter_field.extra["to_field_name"], flat=True))
        help_text = filter_field.extra.get("help_text", "")
        return [
            build_parameter_type(
                name=field_name,
                schema=build_array_type(build_basic_type(OpenApiTypes.STR)),
                location=OpenApiParameter.QUERY,
                description=f"{filter_field.label}. {help_text} Repeat for more than one.",
                enum=slugs or None,
                explode=True,
                style="form",
            )
        ]
