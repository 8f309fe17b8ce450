"""CDS Hooks 2.0: discovery (GET /cds-services) and the patient-view service.

Answered through DRF so errors share the API's JSON body; CORS is set here, as the CDS Hooks
specification asks (any origin, POST with a bearer token), because the site-wide CORS policy
covers only the read-only /api/. Nothing of a hook request is stored or logged.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from conditions.api.serializers import ErrorSerializer
from conditions.api.views import AnonymousThrottle

from . import cards, serializers

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Authorization, Content-Type",
    "Access-Control-Max-Age": "86400",
}


class BadRequest(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "bad_request"


class CdsHooksView(APIView):
    throttle_classes = [AnonymousThrottle]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        for name, value in CORS_HEADERS.items():
            response[name] = value
        # Cards are per patient: no cache may keep them.
        if request.method == "POST":
            response["Cache-Control"] = "no-store"
        return response


class DiscoveryView(CdsHooksView):
    @extend_schema(
        summary="CDS Hooks discovery: the services offered",
        description="Lists the `patient-view` service and its prefetch template.",
        responses={200: serializers.DiscoverySerializer},
    )
    def get(self, request):
        return Response({"services": [cards.SERVICE]})


class ServiceView(CdsHooksView):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if kwargs.get("service_id") != cards.SERVICE_ID:
            raise exceptions.NotFound(f"No CDS service “{kwargs.get('service_id', '')[:60]}”.")

    @extend_schema(
        summary="CDS Hooks patient-view: education cards for the patient's conditions",
        description=(
            "A CDS Hooks 2.0 `patient-view` request whose `prefetch.conditions` holds the "
            "patient's FHIR R4 Condition resources (a Bundle). Active conditions coded in "
            "ICD-10-CM (`http://hl7.org/fhir/sid/icd-10-cm`) or SNOMED CT "
            "(`http://snomed.info/sct`) are matched as `/api/v1/lookup/` matches codes; each "
            "published condition found is one `info` card linking to its page. No match: "
            '`{"cards": []}`. A request this service cannot read is a 400 saying why. '
            "Nothing of the request is stored or logged."
        ),
        request=serializers.HookRequestSerializer,
        responses={
            200: serializers.CardsSerializer,
            400: OpenApiResponse(ErrorSerializer, description="A malformed hook request."),
            415: OpenApiResponse(ErrorSerializer, description="The body is not JSON."),
        },
    )
    def post(self, request, service_id):
        try:
            payload = request.data
        except exceptions.ParseError:
            raise BadRequest("The request body is not valid JSON.") from None
        try:
            return Response({"cards": cards.cards(request, payload)})
        except cards.BadHookRequest as bad:
            raise BadRequest(str(bad)) from None
