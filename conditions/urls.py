from django.urls import path

from sitecache.pages import cache_public_page

from . import views

app_name = "conditions"

# Every page here is public and the same for every visitor: served from the shared page cache
# (see sitecache/pages.py; an edit anywhere invalidates all of it at once).
urlpatterns = [
    path("", cache_public_page(views.home), name="home"),
    path("conditions/", cache_public_page(views.condition_list), name="condition-list"),
    path(
        "conditions/<slug:slug>/",
        cache_public_page(views.condition_detail),
        name="condition-detail",
    ),
    path("mechanisms/", cache_public_page(views.mechanism_list), name="mechanism-list"),
    path(
        "mechanisms/<slug:slug>/",
        cache_public_page(views.mechanism_detail),
        name="mechanism-detail",
    ),
    path("symptoms/", cache_public_page(views.symptom_list), name="symptom-list"),
    path("symptoms/<slug:slug>/", cache_public_page(views.symptom_detail), name="symptom-detail"),
    path("a-z/", cache_public_page(views.a_to_z), name="a-to-z"),
    path("search/", cache_public_page(views.search), name="search"),
    path("about/", cache_public_page(views.about), name="about"),
    path("disclaimer/", cache_public_page(views.disclaimer), name="disclaimer"),
]
