"""What every piece of content shares: change tracking for the site cache, and the editorial
workflow of reviewed content (status, its transitions, review dates, optimistic locking).

The transitions are model methods, so the admin, the shell and tests all reach the same rule.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from sitecache.version import content_changed


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


# Statuses only a medical reviewer may set or leave.
REVIEWER_STATES = {Status.PUBLISHED, Status.ARCHIVED}


class ContentQuerySet(models.QuerySet):
    def update(self, **kwargs):
        # QuerySet.update() sends no signal: tell the site cache, as a save does.
        rows = super().update(**kwargs)
        content_changed(self.db)
        return rows

    update.alters_data = True


class SlugManager(models.Manager.from_queryset(ContentQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class EditorialQuerySet(ContentQuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def awaiting_review(self):
        return self.filter(status=Status.IN_REVIEW)

    def overdue_for_review(self, today=None):
        today = today or timezone.localdate()
        return self.filter(next_review_due__lt=today).exclude(status=Status.ARCHIVED)

    def due_for_review(self, within_days=30, today=None):
        """Items whose review falls due from today up to `within_days` ahead."""
        today = today or timezone.localdate()
        return self.filter(
            next_review_due__gte=today,
            next_review_due__lte=today + datetime.timedelta(days=within_days),
        ).exclude(status=Status.ARCHIVED)


class EditorialManager(SlugManager.from_queryset(EditorialQuerySet)):
    pass


class StaleEdit(Exception):
    """Somebody saved the item between this editor loading it and saving it."""


class TransitionRefused(Exception):
    """A status change this item or this user cannot make; the message says why."""


def publish_permission(model):
    """The permission that lets a user publish, archive and review items of `model`."""
    return f"{model._meta.app_label}.publish_{model._meta.model_name}"


# What a published item must hold, in the words an editor reads. The database constraint,
# clean() and publication_problems() are all built from this one list.
PUBLISHED_NEEDS = [
    ("summary", "a plain-language summary"),
    ("last_reviewed", "the date it was last reviewed"),
    ("next_review_due", "the date its next review is due"),
]
REVIEW_ORDER_MESSAGE = "The next review must fall after the last review."


def _is_present(field_name):
    if field_name == "summary":
        return ~Q(summary="")
    return Q(**{f"{field_name}__isnull": False})


def _published_is_complete():
    complete = Q()
    for field_name, _ in PUBLISHED_NEEDS:
        complete &= _is_present(field_name)
    return ~Q(status=Status.PUBLISHED) | complete


class EditorialContent(models.Model):
    """Fields every reviewed piece of content carries: status, review dates and a version."""

    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT, db_index=True)
    last_reviewed = models.DateField(null=True, blank=True)
    next_review_due = models.DateField(null=True, blank=True, db_index=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The medical reviewer who last checked this content.",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    # Moved on by every save; a save based on an older version is refused (claim_version).
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = EditorialManager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=_published_is_complete(),
                name="%(app_label)s_%(class)s_published_is_complete",
                violation_error_message="Published content needs "
                + ", ".join(need for _, need in PUBLISHED_NEEDS)
                + ".",
            ),
            models.CheckConstraint(
                condition=Q(next_review_due__isnull=True)
                | Q(last_reviewed__isnull=True)
                | Q(next_review_due__gt=models.F("last_reviewed")),
                name="%(app_label)s_%(class)s_review_due_after_reviewed",
                violation_error_message=REVIEW_ORDER_MESSAGE,
            ),
        ]

    def save(self, *args, **kwargs):
        # loaddata saves raw and keeps the stored version.
        if not self._state.adding:
            self.version += 1
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.slug,)

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    # --- the publishing rule ------------------------------------------------------------------

    def publication_problems(self, related=None):
        """What stops this item from being published, in words an editor understands.

        `related` maps a many-to-many name to its (possibly unsaved) chosen objects, so an
        admin form can check what the editor submitted before the relations are saved.
        """
        related = related or {}
        problems = [f"Add {need}." for field, need in PUBLISHED_NEEDS if self._is_missing(field)]
        if not self._has_related("references", related):
            problems.append("Add at least one reference.")
        return problems

    def _is_missing(self, field_name):
        value = getattr(self, field_name)
        return not (value.strip() if isinstance(value, str) else value)

    def _has_related(self, name, related):
        if name in related:
            return bool(related[name])
        return self.pk is not None and getattr(self, name).exists()

    def clean(self):
        super().clean()
        if (
            self.last_reviewed
            and self.next_review_due
            and self.next_review_due <= self.last_reviewed
        ):
            raise ValidationError({"next_review_due": REVIEW_ORDER_MESSAGE})
        if self.status == Status.PUBLISHED:
            missing = {
                field: f"Published content needs {need}."
                for field, need in PUBLISHED_NEEDS
                if self._is_missing(field)
            }
            if missing:
                raise ValidationError(missing)

    # --- optimistic locking -------------------------------------------------------------------

    def claim_version(self, loaded_version):
        """Take this item for the current transaction if nobody has saved it since
        `loaded_version` was read; raise StaleEdit otherwise.

        The UPDATE matches only the unchanged row and holds its lock until the transaction
        ends, so a concurrent save waits, then matches nothing: never a silent overwrite.
        """
        claimed = (
            type(self)
            ._base_manager.filter(pk=self.pk, version=loaded_version)
            .update(version=loaded_version)
        )
        if not claimed:
            raise StaleEdit
        self.version = loaded_version  # save() makes it loaded_version + 1

    # --- status transitions ----------------------------------------------------------------

    def may_be_reviewed_by(self, user):
        return user.has_perm(publish_permission(type(self)))

    def _check_reviewer(self, user, action):
        if not self.may_be_reviewed_by(user):
            raise PermissionDenied(f"Only medical reviewers can {action}.")

    def _save_transition(self, user, reason):
        self._history_user = user
        self._change_reason = reason
        self.save()

    def submit_for_review(self, user):
        if self.status != Status.DRAFT:
            raise TransitionRefused("Only drafts can be submitted for review.")
        self.status = Status.IN_REVIEW
        self._save_transition(user, "Submitted for review")

    def publish(self, user):
        self._check_reviewer(user, "publish")
        if self.status == Status.PUBLISHED:
            raise TransitionRefused("It is already published.")
        problems = self.publication_problems()
        if problems:
            raise TransitionRefused(" ".join(problems))
        self.status = Status.PUBLISHED
        self._save_transition(user, "Published")

    def archive(self, user):
        self._check_reviewer(user, "archive")
        if self.status == Status.ARCHIVED:
            raise TransitionRefused("It is already archived.")
        self.status = Status.ARCHIVED
        self._save_transition(user, "Archived")

    def mark_reviewed(self, user, today=None):
        """Record that `user` reviewed it today; the next review falls due one interval on."""
        self._check_reviewer(user, "mark content as reviewed")
        self.last_reviewed = today or timezone.localdate()
        self.next_review_due = self.last_reviewed + datetime.timedelta(
            days=settings.REVIEW_INTERVAL_DAYS
        )
        self.reviewer = user
        self._save_transition(user, "Reviewed")
