"""The editorial workflow: who reviews, what every reviewed piece of content carries, and the
proposed changes that keep a live page serving its approved text until a reviewer approves.

State changes are model methods, so the admin, the shell, fixtures and tests reach the same
rules. This app knows no content model: content models subclass EditorialContent.
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import get_language

from . import readability


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


# Statuses only a medical reviewer may set or leave.
REVIEWER_STATES = {Status.PUBLISHED, Status.ARCHIVED}


class StaleEdit(Exception):
    """Somebody saved the item between this editor loading it and saving it."""


class TransitionRefused(Exception):
    """A change this item or this user cannot make now; the message says why."""


def publish_permission(model):
    """The permission that lets a user review, publish and archive items of `model`."""
    return f"{model._meta.app_label}.publish_{model._meta.model_name}"


class Versioned(models.Model):
    """A row that refuses a save based on an older version of itself (optimistic locking)."""

    # Moved on by every save; a save based on an older version is refused (claim_version).
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # loaddata saves raw and keeps the stored version.
        if not self._state.adding:
            self.version += 1
        super().save(*args, **kwargs)

    def claim_version(self, loaded_version):
        """Take this row for the current transaction if nobody has saved it since
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


class ReviewerManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Reviewer(Versioned):
    """A medical reviewer as pages name them: "Dr A. Example, consultant neurologist"."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120, help_text="As pages show it, e.g. “Dr A. Example”.")
    credentials = models.CharField(
        max_length=160, help_text="Profession and specialty, e.g. “consultant neurologist”."
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewer_profile",
        help_text="The staff account that reviews as this person.",
    )

    objects = ReviewerManager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return ", ".join(part for part in (self.name, self.credentials) if part)

    def natural_key(self):
        return (self.slug,)

    @classmethod
    def of(cls, user):
        """The reviewer a staff user reviews as; TransitionRefused if the user has none."""
        reviewer = cls.objects.filter(user=user).first() if user.pk else None
        if reviewer is None:
            raise TransitionRefused(
                "Your account has no reviewer name and credentials yet, and pages say who "
                "reviewed them: add them under Editorial review, Reviewers first."
            )
        return reviewer


def served_language():
    """The language being served ("en" outside any request): a code of settings.LANGUAGES."""
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


class EditorialQuerySet(models.QuerySet):
    def published(self):
        """Live items; in another language than the default, only those whose translation
        into it is published too (a reviewer approved it, or the fixtures shipped it live)."""
        live = self.filter(status=Status.PUBLISHED)
        language = served_language()
        if language == settings.LANGUAGE_CODE:
            return live
        return live.filter(
            Exists(
                Translation.objects.published()
                .of_model(self.model, language)
                .filter(object_id=OuterRef("pk"))
            )
        )

    def with_translation_flags(self):
        """Each item annotated `live_in_<language>`: is its translation there published?"""
        return self.annotate(
            **{
                f"live_in_{language}": Exists(
                    Translation.objects.published()
                    .of_model(self.model, language)
                    .filter(object_id=OuterRef("pk"))
                )
                for language, _ in settings.LANGUAGES
                if language != settings.LANGUAGE_CODE
            }
        )

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


REVIEW_ORDER_MESSAGE = "The next review must fall after the last review."


def published_is_complete(needs):
    """The database's form of a model's PUBLISHED_NEEDS: what a published row must hold."""
    complete = Q()
    for field_name, _ in needs:
        complete &= ~Q(**{field_name: ""})
    return models.CheckConstraint(
        condition=~Q(status=Status.PUBLISHED) | complete,
        name="%(app_label)s_%(class)s_published_is_complete",
        violation_error_message="Published content needs "
        + ", ".join(need for _, need in needs)
        + ".",
    )


class EditorialContent(Versioned):
    """What every reviewed piece of content carries: status, its review and a version.

    A page is "medically reviewed" only when a named reviewer approved it (reviewed_by and
    reviewed_on); content loaded from the fixtures has never been and says so.
    """

    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT, db_index=True)
    reviewed_by = models.ForeignKey(
        Reviewer,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The medical reviewer who last approved this content.",
    )
    reviewed_on = models.DateField(null=True, blank=True)
    next_review_due = models.DateField(null=True, blank=True, db_index=True)
    plain_language_exception = models.TextField(
        blank=True,
        help_text="Only if a text must stay above its reading-grade limit: the reviewer's reason.",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    # (field, what it is) a published item must hold; each model's constraint is built from it.
    PUBLISHED_NEEDS = [("summary", "a plain-language summary")]
    # Relations a published item must have at least one of: (name, the editor's instruction).
    REQUIRED_RELATIONS = []
    # Fields that belong to the workflow, not the content: a proposal or a revert never sets them.
    WORKFLOW_FIELDS = {
        "id",
        "status",
        "reviewed_by",
        "reviewed_on",
        "next_review_due",
        "plain_language_exception",
        "version",
        "created",
        "updated",
    }
    # Related names of the rows edited with an item (its inlines), kept in its proposals.
    PROPOSAL_CHILDREN = []

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_due__isnull=True)
                | Q(reviewed_on__isnull=True)
                | Q(next_review_due__gt=models.F("reviewed_on")),
                name="%(app_label)s_%(class)s_review_due_after_reviewed",
                violation_error_message=REVIEW_ORDER_MESSAGE,
            ),
        ]

    def natural_key(self):
        return (self.slug,)

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    @property
    def is_reviewed(self):
        """Whether a named medical reviewer has approved this content."""
        return self.reviewed_by_id is not None and self.reviewed_on is not None

    def scored_texts(self):
        """(label, text, highest Flesch-Kincaid grade allowed) for each plain-language text."""
        return []

    def too_hard_to_read(self, found_scores=None):
        """(label, grade, limit) of each text above its reading-grade limit."""
        hard = []
        for label, text, limit in self.scored_texts():
            result = found_scores.get(text) if found_scores is not None else readability.score(text)
            if result and result.too_hard(limit):
                hard.append((label, result.grade, limit))
        return hard

    # --- the publishing rule ------------------------------------------------------------------

    def publication_problems(self, related=None):
        """What stops this item from being published, in words an editor understands.

        `related` maps a many-to-many name to its (possibly unsaved) chosen objects, so an
        admin form can check what the editor submitted before the relations are saved.
        """
        related = related or {}
        problems = [
            f"Add {need}." for field, need in self.PUBLISHED_NEEDS if self._is_missing(field)
        ]
        problems += [
            instruction
            for name, instruction in self.REQUIRED_RELATIONS
            if not self._has_related(name, related)
        ]
        hard = self.too_hard_to_read()
        if hard and not self.plain_language_exception.strip():
            problems.append(
                "Make these texts plainer, or give the reason they must stay as they are "
                f"(plain-language exception): {readability.describe_too_hard(hard)}."
            )
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
        if self.reviewed_on and self.next_review_due and self.next_review_due <= self.reviewed_on:
            raise ValidationError({"next_review_due": REVIEW_ORDER_MESSAGE})
        if self.status == Status.PUBLISHED:
            missing = {
                field: f"Published content needs {need}."
                for field, need in self.PUBLISHED_NEEDS
                if self._is_missing(field)
            }
            if missing:
                raise ValidationError(missing)

    # --- status transitions -------------------------------------------------------------------

    @classmethod
    def may_be_reviewed_by(cls, user):
        return user.has_perm(publish_permission(cls))

    @classmethod
    def check_reviewer(cls, user, action):
        """The user's Reviewer, if they may review items of this kind; else refuse."""
        if not cls.may_be_reviewed_by(user):
            raise PermissionDenied(f"Only medical reviewers can {action}.")
        return Reviewer.of(user)

    def record_review(self, reviewer, today=None):
        """The review a reviewer's approval is: who, when, and when the next one falls due."""
        self.reviewed_by = reviewer
        self.reviewed_on = today or timezone.localdate()
        self.next_review_due = self.reviewed_on + datetime.timedelta(
            days=settings.REVIEW_INTERVAL_DAYS
        )

    def save_as(self, user, reason):
        """Save, recording who made the change and why in the item's history."""
        self._history_user = user
        self._change_reason = reason
        self.save()

    def submit_for_review(self, user):
        if self.status != Status.DRAFT:
            raise TransitionRefused("Only drafts can be submitted for review.")
        self.status = Status.IN_REVIEW
        self.save_as(user, "Submitted for review")

    def publish(self, user, today=None):
        """A reviewer's approval of a draft: it goes live, reviewed by them today."""
        reviewer = self.check_reviewer(user, "publish")
        if self.status == Status.PUBLISHED:
            raise TransitionRefused("It is already published.")
        problems = self.publication_problems()
        if problems:
            raise TransitionRefused(" ".join(problems))
        self.status = Status.PUBLISHED
        self.record_review(reviewer, today)
        self.save_as(user, "Published")

    def archive(self, user):
        if not self.may_be_reviewed_by(user):
            raise PermissionDenied("Only medical reviewers can archive.")
        if self.status == Status.ARCHIVED:
            raise TransitionRefused("It is already archived.")
        self.status = Status.ARCHIVED
        self.save_as(user, "Archived")

    def mark_reviewed(self, user, today=None):
        """Record that the reviewer checked the live text today and it stands as it is."""
        reviewer = self.check_reviewer(user, "mark content as reviewed")
        problems = self.publication_problems() if self.is_published else []
        if problems:
            raise TransitionRefused(" ".join(problems))
        self.record_review(reviewer, today)
        self.save_as(user, "Reviewed")


class ProposalQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(state=Proposal.State.APPROVED)

    def waiting(self):
        return self.filter(state=Proposal.State.SUBMITTED)

    def of(self, item):
        return self.filter(content_type=ContentType.objects.get_for_model(item), object_id=item.pk)


class Proposal(Versioned):
    """A change to a live page, prepared while the page keeps serving its approved version.

    `data` is the proposed state of the item, its many-to-many choices and the rows edited
    with it (editorial.snapshots); approval writes it to the live tables in one transaction.
    Approved proposals stay as the record of what changed, when, by whom and who approved it.
    """

    class State(models.TextChoices):
        DRAFT = "draft", "Being written"
        SUBMITTED = "submitted", "Waiting for review"
        SENT_BACK = "sent_back", "Sent back to the editor"
        APPROVED = "approved", "Approved and live"

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    # The live item's version this proposal was written against: approving it over a newer
    # live version would silently undo that version's changes.
    base_version = models.PositiveIntegerField()
    data = models.JSONField()
    summary = models.CharField(
        "what changed",
        max_length=200,
        help_text="One line for the page's history, e.g. “Added the 2025 RSV vaccine warning”.",
    )
    state = models.CharField(max_length=12, choices=State, default=State.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        Reviewer, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-updated"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=~Q(state="approved"),
                name="proposal_one_open_per_item",
                violation_error_message="This page already has a proposed change.",
            )
        ]

    def __str__(self):
        return f"{self.item}: {self.summary}"

    @property
    def is_open(self):
        return self.state != self.State.APPROVED

    def submit(self, user):
        if self.state not in {self.State.DRAFT, self.State.SENT_BACK}:
            raise TransitionRefused("It is already waiting for review.")
        self.state = self.State.SUBMITTED
        self.save()

    def send_back(self, user, comment):
        reviewer = self.content_type.model_class().check_reviewer(user, "send a change back")
        if self.state != self.State.SUBMITTED:
            raise TransitionRefused("Only a change waiting for review can be sent back.")
        if not comment.strip():
            raise TransitionRefused("Say what needs to change, so the editor can act on it.")
        self.state = self.State.SENT_BACK
        self.review_comment = comment.strip()
        self.decided_by = reviewer
        self.decided_at = timezone.now()
        self.save()

    def approve(self, user, plain_language_exception="", today=None):
        """Make the proposed change live, atomically, as one reviewed version of the item."""
        from . import snapshots

        item_model = self.content_type.model_class()
        reviewer = item_model.check_reviewer(user, "approve a change")
        if self.state != self.State.SUBMITTED:
            raise TransitionRefused("Only a change waiting for review can be approved.")
        with transaction.atomic():
            item = item_model._default_manager.select_for_update().get(pk=self.object_id)
            if item.version != self.base_version:
                raise TransitionRefused(
                    "The live page has changed since this proposal was written: send it back "
                    "so the editor can bring it up to date."
                )
            snapshots.apply(item, self.data)
            if plain_language_exception.strip():
                item.plain_language_exception = plain_language_exception.strip()
            problems = item.publication_problems()
            if problems:
                raise TransitionRefused(" ".join(problems))
            item.record_review(reviewer, today)
            item.save_as(user, f"Approved change: {self.summary}")
            self.state = self.State.APPROVED
            self.decided_by = reviewer
            self.decided_at = timezone.now()
            self.save()
        return item


class TranslationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Translation.Status.PUBLISHED)

    def of_model(self, model, language):
        return self.filter(content_type=ContentType.objects.get_for_model(model), language=language)

    def of(self, item, language):
        return self.of_model(type(item), language).filter(object_id=item.pk)


class Translation(Versioned):
    """The review of one item's translation into one language: its own status and reviewer.

    The translated text lives in the item's own row (`<field>_es`); this record says whether
    it is public, who approved it and against which English version (`source_version`), so a
    reviewer sees when the English text has moved on since (`is_out_of_date`).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    language = models.CharField(max_length=5, choices=settings.LANGUAGES[1:])
    status = models.CharField(max_length=12, choices=Status, default=Status.DRAFT)
    reviewed_by = models.ForeignKey(
        Reviewer,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The medical reviewer who approved this translation.",
    )
    reviewed_on = models.DateField(null=True, blank=True)
    source_version = models.PositiveIntegerField(
        help_text="The version of the original item this translation was approved or loaded "
        "against."
    )
    plain_language_exception = models.TextField(
        blank=True,
        help_text="Only if a text must stay below its INFLESZ score: the reviewer's reason.",
    )
    sources = models.JSONField(
        default=list,
        blank=True,
        help_text="Sources in this language the translation drew on, as "
        '[{"url": …, "title": …}] (e.g. MedlinePlus en español).',
    )
    updated = models.DateTimeField(auto_now=True)

    objects = TranslationQuerySet.as_manager()

    class Meta:
        ordering = ["content_type", "object_id", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "language"],
                name="translation_one_per_item_and_language",
            ),
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True, reviewed_on__isnull=True)
                | Q(reviewed_by__isnull=False, reviewed_on__isnull=False),
                name="translation_review_has_reviewer_and_date",
                violation_error_message="A review names its reviewer and its date.",
            ),
        ]

    def __str__(self):
        return f"{self.item} ({self.get_language_display()})"

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def is_reviewed(self):
        return self.reviewed_by_id is not None and self.reviewed_on is not None

    def is_out_of_date(self, item=None):
        """Whether the original item changed after this translation was approved or loaded."""
        item = item or self.item
        return item is not None and item.version != self.source_version

    def approve(self, user, today=None):
        """A reviewer's approval: the translation goes live, reviewed by them, against the
        original's current version."""
        item_model = self.content_type.model_class()
        reviewer = item_model.check_reviewer(user, "approve a translation")
        item = self.item
        problems = translation_problems(item, self.language, self.plain_language_exception)
        if problems:
            raise TransitionRefused(" ".join(problems))
        self.status = self.Status.PUBLISHED
        self.reviewed_by = reviewer
        self.reviewed_on = today or timezone.localdate()
        self.source_version = item.version
        self.save()

    def withdraw(self, user):
        """Take the translated page down (the original stays live)."""
        self.content_type.model_class().check_reviewer(user, "withdraw a translation")
        self.status = self.Status.DRAFT
        self.save()


def translated_field_names(item):
    """The fields of `item` that have a column per language (django-modeltranslation)."""
    from modeltranslation.translator import NotRegistered, translator

    try:
        return list(translator.get_options_for_model(type(item)).fields)
    except NotRegistered:
        return []


def translation_problems(item, language, plain_language_exception=""):
    """What stops `item`'s translation into `language` from going live, in an editor's words."""
    problems = []
    # A page never mixes languages: every text the original has needs its translation (the
    # slug may stay as it is; a page without a slug of its own keeps the English one).
    missing = [
        field.replace("_", " ")
        for field in translated_field_names(item)
        if field != "slug"
        and (getattr(item, f"{field}_en", "") or "").strip()
        and not (getattr(item, f"{field}_{language}", "") or "").strip()
    ]
    if missing:
        problems.append(f"Translate these texts too: {', '.join(missing)}.")
    hard = readability.too_hard_in(item, language)
    if hard and not plain_language_exception.strip():
        problems.append(
            "Make these texts plainer, or give the reason they must stay as they are "
            f"(plain-language exception): {readability.describe_too_hard_in(hard)}."
        )
    return problems
