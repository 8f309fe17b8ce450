"""The API's addresses: /api/v1/… (router), /api/schema/ (OpenAPI), /api/docs/ (Swagger UI)."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import views
from .exceptions import not_found

router = DefaultRouter()
router.register("conditions", views.ConditionViewSet, basename="condition")
router.register("mechanisms", views.MechanismViewSet, basename="mechanism")
router.register("symptoms", views.SymptomViewSet, basename="symptom")
router.register("treatments", views.TreatmentViewSet, basename="treatment")

app_name = "api"

urlpatterns = [
    path("v1/lookup/", views.LookupView.as_view(), name="lookup"),
    path("v1/compare/", views.CompareView.as_view(), name="compare"),
    path("v1/changes/", views.ChangesView.as_view(), name="changes"),
    path("v1/export/", views.ExportView.as_view(), name="export"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: the site's CSP forbids inline scripts.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    # Anything else under /api/ is a JSON 404, not the site's HTML error page.
    re_path(r"^.*$", not_found),
]
