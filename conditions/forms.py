"""Forms: the public search box, and the admin form for reviewed content (who may publish,
what publishing needs, no lost edits)."""

import copy

from django import forms
from django.core.exceptions import ValidationError

from .editorial import REVIEWER_STATES, Status, publish_permission
from .search import MAX_QUERY_LENGTH

STALE_MESSAGE = (
    "Someone else saved this {name} while you were editing it, so your changes were not "
    "saved. Your text is still below: copy what you need, then open the page again to see "
    "their version and make your changes there."
)


def current_version(instance):
    """The version of `instance` as stored in the database right now."""
    return (
        type(instance)
        ._default_manager.filter(pk=instance.pk)
        .values_list("version", flat=True)
        .first()
    )


class EditorialForm(forms.ModelForm):
    """Checks the version an edit was based on, the right to publish, and completeness.

    The admin sets `user` on the form class it builds for each request.
    """

    # The version the editor started from; a save based on an older one is refused.
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    user = None
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
        stored_status = None
        if self.instance.pk is not None:
            self._check_version(cleaned_data.get("loaded_version"))
            # Today's status, not the form's starting one: a revert form starts from an old one.
            stored_status = (
                type(self.instance)
                ._default_manager.filter(pk=self.instance.pk)
                .values_list("status", flat=True)
                .first()
            )
        self._check_publishing(cleaned_data, stored_status)
        return cleaned_data

    def _check_version(self, loaded_version):
        if self.stale or loaded_version is None or loaded_version != current_version(self.instance):
            raise ValidationError(
                STALE_MESSAGE.format(name=self._meta.model._meta.verbose_name), code="stale"
            )

    def _check_publishing(self, cleaned_data, stored_status):
        status = cleaned_data.get("status")
        may_publish = self.user and self.user.has_perm(publish_permission(self._meta.model))
        if status != stored_status and not may_publish:
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
        if status == Status.PUBLISHED:
            problems = self.unsaved_instance(cleaned_data).publication_problems(
                related=self._submitted_relations(cleaned_data)
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

    def _submitted_relations(self, cleaned_data):
        return {
            field.name: cleaned_data[field.name]
            for field in self._meta.model._meta.many_to_many
            if field.name in cleaned_data
        }


class SearchForm(forms.Form):
    q = forms.CharField(label="Search", max_length=MAX_QUERY_LENGTH, required=False)
