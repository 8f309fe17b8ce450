"""A URLconf with a view that fails, to check the 500 page (used by tests/test_views.py)."""

from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


def boom(request):
    raise RuntimeError("deliberate failure for the 500 page test")


urlpatterns = [path("boom/", boom), *portal_urlpatterns]
