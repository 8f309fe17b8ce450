from django.db import models


class ContentVersion(models.Model):
    """The content version's source of truth: one row, moved forward after every committed edit.

    The shared cache holds only a copy (sitecache.version), so an edit saved while the cache
    was unreachable is never undone when the cache comes back with its old copy.
    """

    SINGLETON = 1

    value = models.BigIntegerField()

    class Meta:
        db_table = "sitecache_content_version"

    def __str__(self):
        return str(self.value)
