"""The public change log: what happened to each public page, when, in one line.

One row per change a visitor or a mirror could see: a page published, updated, unpublished
(archived or sent back to draft) or deleted. Unpublishing and deleting leave a tombstone row,
so a mirror knows to remove its copy. The log is its own state: whether an item is public now
is read from its latest row, so no caller has to say what the item was before.

This app knows no content model. Content apps call `record()` for each item they save or
delete (conditions/signals.py, and ContentQuerySet.update for bulk updates); an item needs a
`slug`, an `is_published` flag, `get_absolute_url()` and `str()`.
"""

from django.db import models
from django.utils import timezone


class Action(models.TextChoices):
    PUBLISHED = "published", "Published"
    UPDATED = "updated", "Updated"
    UNPUBLISHED = "unpublished", "Unpublished"
    DELETED = "deleted", "Deleted"


PUBLIC_ACTIONS = {Action.PUBLISHED, Action.UPDATED}
# The language content is written in until items carry their own (see `item_language`).
DEFAULT_LANGUAGE = "en"


class ChangeQuerySet(models.QuerySet):
    def of_item(self, item):
        return self.filter(item_type=item._meta.model_name, object_id=item.pk)

    def history_of(self, item, limit=5):
        """A page's public history, newest first: one row per day and line."""
        seen, history = set(), []
        for change in self.of_item(item).filter(action__in=PUBLIC_ACTIONS).order_by("-pk")[:50]:
            key = (change.at.date(), change.summary)
            if key not in seen:
                seen.add(key)
                history.append(change)
            if len(history) == limit:
                break
        return history

    def reviewed(self):
        return self.filter(reviewed=True, action__in=PUBLIC_ACTIONS)


class Change(models.Model):
    """One public change to one item. The primary key is the feed's cursor: it only grows."""

    item_type = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    slug = models.SlugField(max_length=160)
    language = models.CharField(max_length=10, default=DEFAULT_LANGUAGE)
    title = models.CharField(max_length=200)
    action = models.CharField(max_length=12, choices=Action)
    summary = models.CharField(max_length=200, help_text="What changed, in one line.")
    page_path = models.CharField(max_length=300)
    item_version = models.PositiveIntegerField(default=0)
    reviewed = models.BooleanField(
        default=False, help_text="A named medical reviewer approved this change."
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ChangeQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["item_type", "object_id"], name="change_by_item")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d} {self.item_type} {self.slug}: {self.action}"

    @property
    def is_tombstone(self):
        return self.action not in PUBLIC_ACTIONS
