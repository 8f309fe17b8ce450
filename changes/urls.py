from django.urls import path

from sitecache.pages import cache_public_page

from . import feeds, views

app_name = "changes"

urlpatterns = [
    path("changes/", views.recent_changes, name="recent"),
    path(
        "feeds/updates/",
        cache_public_page(parameters=[])(feeds.ReviewedUpdatesFeed()),
        name="updates-feed",
    ),
]
