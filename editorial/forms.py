"""Admin forms: plain text normalised once on input, no lost edits, publishing checked."""

import copy
import re

from django import forms
from django.core.exceptions import ValidationError

from .models import REVIEWER_STATES, Reviewer, Status, TransitionRefused, publish_permission

STALE_MESSAGE = (
    "Someone else saved this {name} while you were editing it, so your changes were not "
    "saved. Your text is still below: copy what you need, then open the page again to see "
    "their version and make your changes there."
)
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.M)


def normalise_text(text):
    """Line endings as LF and no trailing spaces: browsers send CRLF from every textarea, and
    a save would otherwise rewrite every text field it did not change."""
    return _TRAILING_SPACE.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


class PlainTextField(forms.CharField):
    """A text area whose value is normalised before it is compared or saved."""

    widget = forms.Textarea

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_text(value) if value else value


def current_version(instance):
    """The version of `instance` as stored in the database right now."""
    return (
        type(instance)
        ._default_manager.filter(pk=instance.pk)
        .values_list("version", flat=True)
        .first()
    )


class VersionedForm(forms.ModelForm):
    """Refuses a save based on an older version of the row than the one stored now."""

    # The version the editor started from; a save based on an older one is refused.
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    # Set by the admin when an atomic save found the version had moved on meanwhile.
    stale = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            version = self.instance.version
            if hasattr(self.instance, "_history"):
                # A form filled from an earlier version (revert) starts from today's row.
                version = current_version(self.instance)
            self.fields["loaded_version"].initial = version

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is not None:
            loaded = cleaned_data.get("loaded_version")
            if self.stale or loaded is None or loaded != current_version(self.instance):
                raise ValidationError(
                    STALE_MESSAGE.format(name=self._meta.model._meta.verbose_name), code="stale"
                )
        return cleaned_data


class EditorialForm(VersionedForm):
    """A reviewed item: who may set which status, and what publishing needs.

    The admin sets `user` on the form class it builds for each request.
    """

    user = None

    def clean(self):
        cleaned_data = super().clean()
        stored_status = None
        if self.instance.pk is not None:
            # Today's status, not the form's starting one: a revert form starts from an old one.
            stored_status = (
                type(self.instance)
                ._default_manager.filter(pk=self.instance.pk)
                .values_list("status", flat=True)
                .first()
            )
        self._check_status(cleaned_data, stored_status)
        return cleaned_data

    def _check_status(self, cleaned_data, stored_status):
        status = cleaned_data.get("status", stored_status)
        may_review = self.user and self.user.has_perm(publish_permission(self._meta.model))
        if status != stored_status and not may_review:
            if status in REVIEWER_STATES:
                self.add_error(
                    "status",
                    f"Only medical reviewers can set “{Status(status).label}”. "
                    "Set it to “In review” and a medical reviewer will publish it.",
                )
                return
            if stored_status in REVIEWER_STATES:
                self.add_error(
                    "status",
                    "Only medical reviewers can change the status of "
                    f"{Status(stored_status).label.lower()} content.",
                )
                return
        if status == Status.PUBLISHED and stored_status != Status.PUBLISHED:
            # Publishing is a review: the admin records this reviewer on the item.
            try:
                Reviewer.of(self.user)
            except TransitionRefused as refused:
                self.add_error("status", str(refused))
                return
            problems = self.unsaved_instance(cleaned_data).publication_problems(
                related={
                    field.name: cleaned_data[field.name]
                    for field in self._meta.model._meta.many_to_many
                    if field.name in cleaned_data
                }
            )
            if problems:
                raise ValidationError(
                    ["This cannot be published yet:", *problems], code="incomplete"
                )

    def unsaved_instance(self, cleaned_data):
        """A copy of the instance carrying the submitted values, for checking only."""
        candidate = copy.copy(self.instance)
        for field in self._meta.model._meta.concrete_fields:
            if field.name in cleaned_data:
                setattr(candidate, field.name, cleaned_data[field.name])
        return candidate


class ProposalForm(EditorialForm):
    """The change form of a live item: what it saves is a proposed change, not the live row.

    `proposal` (set by the admin) is the item's open proposal, if any; its version guards
    against two editors overwriting each other's proposal.
    """

    change_summary = forms.CharField(
        label="What changed (one line)",
        max_length=200,
        help_text="Shown to the reviewer and in the page's history, e.g. “Added the 2025 RSV "
        "vaccine warning”.",
    )
    proposal_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    proposal = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.proposal is not None:
            self.fields["change_summary"].initial = self.proposal.summary
            self.fields["proposal_version"].initial = self.proposal.version

    def clean(self):
        cleaned_data = super().clean()
        expected = self.proposal.version if self.proposal is not None else None
        if cleaned_data.get("proposal_version") != expected:
            raise ValidationError(
                "Someone else saved a proposed change to this page while you were editing it, "
                "so yours was not saved. Your text is still below: copy what you need, then "
                "open the page again.",
                code="stale",
            )
        return cleaned_data
