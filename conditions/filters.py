"""The one FilterSet for conditions, shared by the HTML list and the API.

Each parameter is parsed and validated here once; an invalid value becomes a form error that
the view turns into a 400 naming the parameter.
"""

import django_filters
from django import forms
from django.db.models import Case, Count, Q, Value, When
from django.utils.translation import gettext_lazy as _

from .models import (
    Condition,
    Fibre,
    Frequency,
    Mechanism,
    NeuropathyPattern,
    Onset,
    Symptom,
    Treatment,
)
from .search import MAX_QUERY_LENGTH, matching_conditions, search_conditions

FIBRE_FIELDS = {
    Fibre.SENSORY: "affects_sensory",
    Fibre.MOTOR: "affects_motor",
    Fibre.AUTONOMIC: "affects_autonomic",
}

SORT_CHOICES = [
    ("name", _("Name (A to Z)")),
    ("-name", _("Name (Z to A)")),
    ("-updated", _("Recently updated")),
    ("updated", _("Least recently updated")),
]


# The fibre types in a patient's words (the clinical names are in the brackets).
FIBRE_CHOICES_IN_PLAIN_WORDS = [
    (Fibre.SENSORY.value, "Feeling: touch, pain, temperature (sensory)"),
    (Fibre.MOTOR.value, "Movement and strength (motor)"),
    (Fibre.AUTONOMIC.value, "Automatic body work: heart, gut, bladder, sweat (autonomic)"),
]


class PlainNameMultipleChoiceField(django_filters.fields.ModelMultipleChoiceField):
    """Choices labelled with the object's everyday name where it has one (patterns)."""

    def label_from_instance(self, obj):
        return getattr(obj, "plain_name", "") or str(obj)


class PlainNameMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = PlainNameMultipleChoiceField


class StrictBooleanField(forms.TypedChoiceField):
    """Accepts exactly "true" or "false", so "?emergency=banana" is an error, not ignored."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", [("", _("Any")), ("true", _("Yes")), ("false", _("No"))])
        kwargs.setdefault("coerce", lambda value: value == "true")
        kwargs.setdefault("empty_value", None)
        super().__init__(**kwargs)


class StrictBooleanFilter(django_filters.Filter):
    field_class = StrictBooleanField

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(**{self.field_name: value})


class ConditionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search conditions"),
        method="filter_search",
        max_length=MAX_QUERY_LENGTH,
    )
    # The four many-to-many filters below join through a link table, which repeats a
    # condition matching several chosen values: django-filter adds DISTINCT when one is used
    # (its default for multiple-choice filters). No other filter needs it, and over every
    # published condition DISTINCT costs more than the rest of the list's queries together.
    mechanism = django_filters.ModelMultipleChoiceFilter(
        label=_("How nerves are damaged"),
        field_name="mechanisms__slug",
        to_field_name="slug",
        queryset=Mechanism.objects.published(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Conditions with any of these mechanisms."),
    )
    symptom = django_filters.ModelMultipleChoiceFilter(
        label=_("Symptoms"),
        to_field_name="slug",
        queryset=Symptom.objects.published(),
        method="filter_symptoms",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Conditions that can cause all of these symptoms."),
    )
    treatment = django_filters.ModelMultipleChoiceFilter(
        label="Treatments",
        field_name="treatment_links__treatment__slug",
        to_field_name="slug",
        queryset=Treatment.objects.published(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Conditions for which any of these treatments is listed (any role).",
    )
    onset = django_filters.ChoiceFilter(
        label=_("How fast it starts"), choices=Onset.choices, empty_label=_("Any speed")
    )
    pattern = PlainNameMultipleChoiceFilter(
        label=_("Where the nerve damage is"),
        field_name="patterns__slug",
        to_field_name="slug",
        queryset=NeuropathyPattern.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Conditions with any of these patterns."),
    )
    fibre = django_filters.MultipleChoiceFilter(
        label=_("What the damaged nerves do"),
        choices=FIBRE_CHOICES_IN_PLAIN_WORDS,
        method="filter_fibre",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Conditions that affect any of these kinds of nerve fibre."),
    )
    frequency = django_filters.ChoiceFilter(
        label=_("How often it causes neuropathy"),
        field_name="neuropathy_frequency",
        choices=Frequency.choices,
        empty_label=_("Any"),
    )
    emergency = StrictBooleanFilter(
        label=_("Can be a medical emergency"), field_name="is_emergency"
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("name", "name"), ("updated", "updated")),
        field_labels={"name": _("Name"), "updated": _("Last updated")},
        # No sort given: best match first when searching, otherwise A to Z.
        empty_label=_("Best match (or A to Z)"),
    )

    class Meta:
        model = Condition
        fields = [
            "q",
            "mechanism",
            "symptom",
            "treatment",
            "onset",
            "pattern",
            "fibre",
            "frequency",
            "emergency",
        ]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["sort"].extra["choices"] = SORT_CHOICES

    def filter_search(self, queryset, name, value):
        return queryset.filter(pk__in=matching_conditions(value))

    def results(self, *, ordered_by_caller=False):
        """What a list of conditions shows, for its paginator; the HTML list and the API both ask.

        The filtered conditions; with a search query, only its matches, best match first
        unless an order was asked for: `sort`, or an order the caller gave the queryset (the
        API's `ordering`).
        """
        query = self.form.cleaned_data.get("q")
        if not query:
            return self.qs
        # Not by paging `qs`: thousands of matches sent as `pk IN (...)` cost more than the
        # search budget (docs/performance.md). The other filters run in the database instead.
        unsearched = self.queryset.all()
        for name, value in self.form.cleaned_data.items():
            if name != "q":
                unsearched = self.filters[name].filter(unsearched, value)
        explicitly_ordered = ordered_by_caller or bool(self.form.cleaned_data.get("sort"))
        return search_conditions(unsearched, query, by_relevance=not explicitly_ordered)

    def query_items(self):
        """The (parameter, value) pairs of the request that this FilterSet reads, in the order
        its filters are declared, empty values left out: the list's canonical query."""
        return [
            (name, value) for name in self.filters for value in self.data.getlist(name) if value
        ]

    def chosen_values(self):
        """[(parameter, value as sent, the field's label, the value's label)] for every value in
        use, read off the form, so each filter gets its chip in its own words."""
        chosen = []
        for name, field in self.form.fields.items():
            if name == "sort":
                continue
            if isinstance(field, forms.ModelMultipleChoiceField):
                # The chosen objects are already loaded; the field's choices would query again.
                labels = {
                    str(getattr(obj, field.to_field_name)): field.label_from_instance(obj)
                    for obj in self.form.cleaned_data.get(name) or []
                }
            else:
                labels = {str(value): label for value, label in getattr(field, "choices", [])}
            for value in self.data.getlist(name):
                if value:
                    chosen.append((name, value, field.label, labels.get(value, value)))
        return chosen

    def filter_symptoms(self, queryset, name, symptoms):
        """Conditions that cause every chosen symptom, each in itself or in a narrower form.

        One grouped query over the condition-symptom links, however many are chosen: each link
        is labelled with the chosen symptom it satisfies, and a condition must reach them all.
        """
        if not symptoms:
            return queryset
        forms_of = Symptom.objects.forms_of(symptoms)
        # A chosen symptom whose narrower form is also chosen is implied by that form.
        wanted = [
            symptom
            for symptom in symptoms
            if not any(other != symptom and other.pk in forms_of[symptom] for other in symptoms)
        ]
        satisfied = Case(
            *(When(symptom_id__in=forms_of[symptom], then=Value(symptom.pk)) for symptom in wanted)
        )
        links = (
            Condition.symptoms.through.objects.filter(
                symptom_id__in={pk for symptom in wanted for pk in forms_of[symptom]}
            )
            .values("condition_id")
            .annotate(reached=Count(satisfied, distinct=True))
            .filter(reached=len(wanted))
            .values("condition_id")
        )
        return queryset.filter(pk__in=links)

    def filter_fibre(self, queryset, name, values):
        if not values:
            return queryset
        query = Q()
        for value in values:
            query |= Q(**{FIBRE_FIELDS[value]: True})
        return queryset.filter(query)
