"""An Atom feed of reviewed updates, for people (a feed reader) rather than mirrors."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .models import Change

UPDATES_SHOWN = 50


class ReviewedUpdatesFeed(Feed):
    """Pages a named medical reviewer published or approved a change to, newest first."""

    feed_type = Atom1Feed
    title = f"{settings.SITE_NAME}: reviewed updates"
    subtitle = "Pages a medical reviewer has published or approved a change to."
    feed_copyright = settings.CONTENT_RIGHTS
    author_name = settings.SITE_NAME

    def link(self):
        return reverse("changes:recent")

    def items(self):
        return Change.objects.reviewed().order_by("-pk")[:UPDATES_SHOWN]

    def item_title(self, change):
        return f"{change.title}: {change.summary}"

    def item_description(self, change):
        return change.summary

    def item_link(self, change):
        return change.page_path

    def item_guid(self, change):
        return f"{change.page_path}#change-{change.pk}"

    item_guid_is_permalink = False

    def item_updateddate(self, change):
        return change.at

    def item_pubdate(self, change):
        return change.at
