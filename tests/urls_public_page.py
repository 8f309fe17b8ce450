"""A URLconf with one public (cacheable) view whose response each test chooses.

Used by tests/test_caching.py to prove, through the whole middleware stack, which responses
the page cache may store.
"""

from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns
from sitecache.pages import cache_public_page

calls = []
respond = None  # set by each test: request -> response


@cache_public_page
def chosen_response(request):
    calls.append(request)
    return respond(request)


urlpatterns = [path("chosen/", chosen_response), *portal_urlpatterns]
