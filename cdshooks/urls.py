from django.urls import path

from . import views

app_name = "cdshooks"

urlpatterns = [
    path("cds-services", views.DiscoveryView.as_view(), name="discovery"),
    path("cds-services/<str:service_id>", views.ServiceView.as_view(), name="service"),
]
