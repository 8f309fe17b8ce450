"""The portal's content: conditions, the mechanisms by which they harm nerves, and their symptoms.

Every rule about what content may look like lives here, so the admin, the fixtures and the
public pages all obey the same ones.
"""

import re
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from changes import log as change_log
from editorial.models import (
    EditorialContent,
    EditorialQuerySet,
    Status,
    Versioned,
    published_is_complete,
)
from editorial.readability import (
    GLOSSARY_MAX_GRADE,
    HELP_MAX_GRADE,
    SECTION_MAX_GRADE,
    SUMMARY_MAX_GRADE,
)
from sitecache.version import content_changed


class ContentQuerySet(models.QuerySet):
    def with_slug(self, slug):
        """The item at this address: its slug in the language being served, or its English
        slug (an item whose translation has no slug of its own keeps the English one)."""
        if not hasattr(self.model, "slug_en"):
            return self.filter(slug=slug)
        return self.filter(Q(slug_en=slug) | Q(**{f"slug_{active_language()}": slug}))

    def update(self, **kwargs):
        # QuerySet.update() sends no signal: tell the site cache and the change log, as a save
        # does (the log reads the rows back to see what they became).
        logged = self.model in PAGE_MODELS
        keys = list(self.values_list("pk", flat=True)) if logged else []
        rows = super().update(**kwargs)
        content_changed(self.db)
        for item in self.model._base_manager.using(self.db).filter(pk__in=keys):
            change_log.record(item, using=self.db)
        return rows

    update.alters_data = True


class SlugManager(models.Manager.from_queryset(ContentQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class CodeSystem(models.TextChoices):
    ICD10CM = "icd10cm", "ICD-10-CM"
    SNOMEDCT = "snomedct", "SNOMED CT"
    MESH = "mesh", "MeSH"
    ORPHA = "orpha", "Orphanet"


# One pattern per system; checked in Python (clean) and by the database (CheckConstraint).
CODE_PATTERNS = {
    # A letter, two characters, then an optional dot and up to four more (e.g. M32.14, G61.0).
    CodeSystem.ICD10CM: r"^[A-TV-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$",
    # SNOMED CT identifiers are 6 to 18 digits with no leading zero.
    CodeSystem.SNOMEDCT: r"^[1-9][0-9]{5,17}$",
    # MeSH descriptor (D), supplementary concept (C) or tree-style unique IDs.
    CodeSystem.MESH: r"^[CD][0-9]{6,9}$",
    # Orphanet's ORPHAcode: digits only (written "ORPHA:98916" elsewhere; stored as 98916).
    CodeSystem.ORPHA: r"^[1-9][0-9]{0,6}$",
}

CODE_EXAMPLES = {
    CodeSystem.ICD10CM: "M32.14 or G61.0",
    CodeSystem.SNOMEDCT: "40956001",
    CodeSystem.MESH: "D020275",
    CodeSystem.ORPHA: "98916",
}


def normalise_code(system, code):
    """The stored spelling of a code: trimmed, upper case, ICD-10-CM with its dot."""
    code = (code or "").strip().upper()
    if system == CodeSystem.ORPHA:
        code = code.removeprefix("ORPHA:").strip()
    if system == CodeSystem.ICD10CM and "." not in code and len(code) > 3:
        code = f"{code[:3]}.{code[3:]}"
    return code


class ConditionQuerySet(ContentQuerySet, EditorialQuerySet):
    # What a condition card or a result line shows; the list pages read nothing else.
    LIST_COLUMNS = ["pk", "name", "slug", "summary", "onset", "is_emergency", "status"]

    def for_list(self):
        """Published conditions as lists, cards and search results show them."""
        return self.published().only(*self.LIST_COLUMNS)

    def with_details(self):
        """A condition's own facts, with links to published mechanisms only."""
        return self.select_related("reviewed_by").prefetch_related(
            # The names it goes by in the language being served.
            Prefetch("aliases", queryset=Alias.objects.in_language()),
            "codes",
            "patterns",
            "references",
            # Filtered in place: condition.symptoms.all() on these rows holds only published ones.
            Prefetch("symptoms", queryset=Symptom.objects.published()),
            Prefetch(
                "mechanism_links",
                queryset=ConditionMechanism.objects.with_published_mechanism().select_related(
                    "mechanism"
                ),
                to_attr="published_mechanism_links",
            ),
            Prefetch(
                "treatment_links",
                queryset=ConditionTreatment.objects.with_published_treatment().select_related(
                    "treatment"
                ),
                to_attr="published_treatment_links",
            ),
        )

    def with_page_relations(self):
        """Everything a condition's page (and its API record) shows: only published neighbours."""
        return self.with_details().prefetch_related(
            Prefetch(
                "related_conditions",
                queryset=Condition.objects.for_list(),
                to_attr="published_related_conditions",
            )
        )


class MechanismQuerySet(ContentQuerySet, EditorialQuerySet):
    def with_page_relations(self):
        """A mechanism's references and how many published conditions it causes."""
        link_count = (
            ConditionMechanism.objects.with_published_condition()
            .filter(mechanism=OuterRef("pk"))
            .order_by()
            .values("mechanism")
            .annotate(total=Count("pk"))
            .values("total")
        )
        return (
            self.select_related("reviewed_by")
            .annotate(
                published_condition_count=Coalesce(
                    Subquery(link_count), 0, output_field=IntegerField()
                )
            )
            .prefetch_related("references")
        )

    def with_published_condition_links(self):
        """Every link to a published condition, by condition name (the API's mechanism record)."""
        return self.prefetch_related(
            Prefetch(
                "condition_links",
                queryset=ConditionMechanism.objects.with_published_condition()
                .select_related("condition")
                .order_by("condition__name"),
                to_attr="published_condition_links",
            )
        )


class SymptomQuerySet(ContentQuerySet, EditorialQuerySet):
    def forms_of(self, symptoms):
        """{symptom: primary keys of it and of every narrower form of it, at any depth}."""
        narrower = defaultdict(set)
        for pk, broader_id in self.model._default_manager.values_list("pk", "broader_id"):
            if broader_id is not None:
                narrower[broader_id].add(pk)
        forms = {}
        for symptom in symptoms:
            found, todo = set(), [symptom.pk]
            while todo:
                pk = todo.pop()
                if pk not in found:
                    found.add(pk)
                    todo.extend(narrower[pk])
            forms[symptom] = found
        return forms

    def with_published_conditions(self):
        """With the published conditions that cause it (and its reviewer): its page."""
        return self.select_related("reviewed_by").prefetch_related(
            Prefetch(
                "conditions", queryset=Condition.objects.for_list(), to_attr="published_conditions"
            )
        )


class ConditionManager(SlugManager.from_queryset(ConditionQuerySet)):
    pass


class MechanismManager(SlugManager.from_queryset(MechanismQuerySet)):
    pass


class SymptomManager(SlugManager.from_queryset(SymptomQuerySet)):
    pass


class Reference(Versioned):
    """An authoritative source that content is based on."""

    slug = models.SlugField(max_length=80, unique=True, help_text="A short stable key.")
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, help_text="e.g. NINDS, NHS, a journal name.")
    url = models.URLField(max_length=500, blank=True)
    pubmed_id = models.CharField("PubMed ID", max_length=12, blank=True)
    doi = models.CharField("DOI", max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = SlugManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["publisher", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(pubmed_id="") | ~Q(doi=""),
                name="reference_has_locator",
                violation_error_message="Give a URL, a PubMed ID or a DOI.",
            ),
            models.CheckConstraint(
                condition=Q(pubmed_id="") | Q(pubmed_id__regex=r"^[0-9]{1,9}$"),
                name="reference_pubmed_id_digits",
                violation_error_message="A PubMed ID is digits only.",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.publisher})"

    def natural_key(self):
        return (self.slug,)

    def is_shown_on_a_live_page(self):
        return (
            self.conditions.filter(status=Status.PUBLISHED).exists()
            or self.mechanisms.filter(status=Status.PUBLISHED).exists()
            or self.treatments.filter(status=Status.PUBLISHED).exists()
        )

    @property
    def link(self):
        """The best address for a reader: the URL, else PubMed, else the DOI resolver."""
        if self.url:
            return self.url
        if self.pubmed_id:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pubmed_id}/"
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return ""


class ClinicalCodeManager(models.Manager.from_queryset(ContentQuerySet)):
    def get_by_natural_key(self, system, code):
        return self.get(system=system, code=code)


class ClinicalCode(Versioned):
    """A code in a clinical terminology (ICD-10-CM, SNOMED CT, MeSH)."""

    system = models.CharField(max_length=10, choices=CodeSystem)
    code = models.CharField(max_length=20)
    display = models.CharField(max_length=300, help_text="The code system's own name for it.")
    checked_against = models.CharField(
        "release checked against",
        max_length=80,
        blank=True,
        help_text="The code-set release this code was last checked in, e.g. “ICD-10-CM FY2027”. "
        "Leave empty if it has not been checked against a named release.",
    )

    objects = ClinicalCodeManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["system", "code"]
        constraints = [
            models.UniqueConstraint(fields=["system", "code"], name="clinicalcode_unique_code"),
            *(
                models.CheckConstraint(
                    condition=~Q(system=system) | Q(code__regex=pattern),
                    name=f"clinicalcode_{system}_format",
                    violation_error_message=f"Not a valid {system.label} code.",
                )
                for system, pattern in CODE_PATTERNS.items()
            ),
        ]

    def __str__(self):
        return f"{self.get_system_display()} {self.code} — {self.display}"

    def natural_key(self):
        return (self.system, self.code)

    def is_shown_on_a_live_page(self):
        return self.conditions.filter(status=Status.PUBLISHED).exists()

    def clean(self):
        super().clean()
        self.code = normalise_code(self.system, self.code)
        pattern = CODE_PATTERNS.get(self.system)
        if pattern and not re.match(pattern, self.code):
            raise ValidationError(
                {
                    "code": f"“{self.code}” is not a valid {self.get_system_display()} code "
                    f"(for example {CODE_EXAMPLES[self.system]})."
                }
            )


class HelpLevels(models.Model):
    """When to get help, in three levels of urgency, in patient words (Markdown lists)."""

    help_emergency = models.TextField(
        "call an ambulance now if",
        blank=True,
        help_text="What needs an emergency number (999, 911, 112) now. A Markdown list.",
    )
    help_same_day = models.TextField(
        "see a doctor today if",
        blank=True,
        help_text="What needs a doctor (or 111) the same day. A Markdown list.",
    )
    help_routine = models.TextField(
        "book a routine appointment if",
        blank=True,
        help_text="What needs a routine appointment with a GP or the care team. A Markdown list.",
    )

    class Meta:
        abstract = True

    def labelled_help_levels(self):
        """(its label, text) for every level, written or not."""
        return [
            (capfirst(self._meta.get_field(name).verbose_name), getattr(self, name))
            for name in ("help_emergency", "help_same_day", "help_routine")
        ]

    def help_levels(self):
        """(level, label, text) for each level that is written, most urgent first."""
        return [
            (level, label, text)
            for level, (label, text) in zip(
                ("emergency", "same_day", "routine"), self.labelled_help_levels(), strict=True
            )
            if text.strip()
        ]


class Symptom(HelpLevels, EditorialContent):
    """A symptom in the words patients use, with the clinical term beside it."""

    name = models.CharField(max_length=120, help_text="Patient words, e.g. “pins and needles”.")
    slug = models.SlugField(max_length=120, unique=True)
    clinical_term = models.CharField(max_length=120, help_text="e.g. “paraesthesia”.")
    description = models.TextField(blank=True, help_text="What it feels like, in plain language.")
    broader = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="narrower",
        help_text="The broader symptom this is one form of (e.g. “numb like gloves and socks” "
        "is a form of “numbness”). Choosing the broader symptom finds this one too.",
    )
    is_emergency = models.BooleanField(
        "can be a medical emergency",
        default=False,
        help_text="Its page opens with the emergency callout.",
    )

    objects = SymptomManager()
    history = HistoricalRecords()

    PUBLISHED_NEEDS = [("description", "a plain description")]

    class Meta(EditorialContent.Meta):
        ordering = ["name"]
        permissions = [("publish_symptom", "Can review, publish and archive symptoms")]
        constraints = [
            *EditorialContent.Meta.constraints,
            published_is_complete([("description", "a plain description")]),
            models.CheckConstraint(
                condition=~Q(broader=models.F("pk")),
                name="symptom_not_its_own_broader",
                violation_error_message="A symptom cannot be a form of itself.",
            ),
            models.CheckConstraint(
                condition=Q(is_emergency=False) | ~Q(help_emergency=""),
                name="symptom_emergency_has_help",
                violation_error_message="An emergency symptom needs its “call an ambulance” text.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("conditions:symptom-detail", kwargs={"slug": self.slug})

    def scored_texts(self):
        return [
            ("Description", self.description, HELP_MAX_GRADE),
            *((label, text, HELP_MAX_GRADE) for label, text in self.labelled_help_levels()),
        ]


class NerveSite(models.TextChoices):
    """The parts of a peripheral nerve the diagram can highlight."""

    AXON = "axon", _("Axon (the nerve fibre's core)")
    MYELIN = "myelin", _("Myelin sheath")
    NODE = "node", _("Node of Ranvier")
    BLOOD_VESSELS = "blood_vessels", _("Small blood vessels that feed the nerve")
    GANGLION = "ganglion", _("Dorsal root ganglion")
    SMALL_FIBRES = "small_fibres", _("Small fibres")
    AUTONOMIC_FIBRES = "autonomic_fibres", _("Autonomic fibres")
    NERVE_SHEATH = "nerve_sheath", _("Nerve's outer covering and surroundings")


class Mechanism(EditorialContent):
    """A way in which the immune system (or a related process) damages peripheral nerves."""

    name = models.CharField(max_length=160)
    slug = models.SlugField(max_length=160, unique=True)
    summary = models.TextField(blank=True, help_text="Two or three plain sentences.")
    explanation = models.TextField(blank=True, help_text="Markdown.")
    nerve_site = models.CharField("part of the nerve it strikes", max_length=20, choices=NerveSite)
    references = models.ManyToManyField(Reference, blank=True, related_name="mechanisms")

    objects = MechanismManager()
    history = HistoricalRecords(m2m_fields=[references])

    REQUIRED_RELATIONS = [("references", "Add at least one reference.")]

    class Meta(EditorialContent.Meta):
        ordering = ["name"]
        permissions = [("publish_mechanism", "Can review, publish and archive mechanisms")]
        constraints = [
            *EditorialContent.Meta.constraints,
            published_is_complete(EditorialContent.PUBLISHED_NEEDS),
        ]

    def scored_texts(self):
        return [
            ("Summary", self.summary, SUMMARY_MAX_GRADE),
            ("Explanation", self.explanation, SECTION_MAX_GRADE),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("conditions:mechanism-detail", kwargs={"slug": self.slug})


class NeuropathyPattern(models.Model):
    """A pattern of nerve damage; a fixed list seeded by a migration."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    plain_name = models.CharField(max_length=160, help_text="The pattern in everyday words.")
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = SlugManager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class Onset(models.TextChoices):
    ACUTE = "acute", _("Acute (hours to days)")
    SUBACUTE = "subacute", _("Subacute (weeks)")
    CHRONIC = "chronic", _("Chronic (months or longer)")


class Frequency(models.TextChoices):
    COMMON = "common", _("Common")
    OCCASIONAL = "occasional", _("Occasional")
    RARE = "rare", _("Rare")


class Fibre(models.TextChoices):
    SENSORY = "sensory", _("Sensory")
    MOTOR = "motor", _("Motor")
    AUTONOMIC = "autonomic", _("Autonomic")


class Condition(HelpLevels, EditorialContent):
    """An autoimmune or immune-mediated disease and how it can affect peripheral nerves."""

    name = models.CharField(max_length=160)
    slug = models.SlugField(max_length=160, unique=True)
    summary = models.TextField(blank=True, help_text="Plain language, grade 8 or below.")
    overview = models.TextField("what it is", blank=True, help_text="Markdown.")
    nerve_effects = models.TextField("how it damages the nerves", blank=True)
    symptoms_text = models.TextField("symptoms", blank=True)
    diagnosis = models.TextField("how it is diagnosed", blank=True)
    treatment = models.TextField(blank=True)
    living_with = models.TextField("living with it", blank=True, help_text="Markdown.")
    questions_for_doctor = models.TextField(
        "questions to ask your doctor", blank=True, help_text="Markdown list, one per line."
    )

    onset = models.CharField(max_length=10, choices=Onset, blank=True)
    patterns = models.ManyToManyField(NeuropathyPattern, blank=True, related_name="conditions")
    affects_sensory = models.BooleanField("affects sensory fibres", default=False)
    affects_motor = models.BooleanField("affects motor fibres", default=False)
    affects_autonomic = models.BooleanField("affects autonomic fibres", default=False)
    neuropathy_frequency = models.CharField(
        "how often it causes neuropathy", max_length=10, choices=Frequency, blank=True
    )
    is_nerve_disease = models.BooleanField(
        "is itself a disease of the nerves",
        default=False,
        help_text="For conditions that are a neuropathy (GBS, CIDP, MMN …): they have no "
        "“how often it causes neuropathy”.",
    )

    is_emergency = models.BooleanField("medical emergency", default=False)
    emergency_warning = models.TextField(blank=True)

    codes = models.ManyToManyField(ClinicalCode, blank=True, related_name="conditions")
    symptoms = models.ManyToManyField(Symptom, blank=True, related_name="conditions")
    mechanisms = models.ManyToManyField(
        Mechanism, through="ConditionMechanism", blank=True, related_name="conditions"
    )
    related_conditions = models.ManyToManyField("self", blank=True, symmetrical=True)
    references = models.ManyToManyField(Reference, blank=True, related_name="conditions")

    objects = ConditionManager()
    history = HistoricalRecords(m2m_fields=[codes, symptoms, references, patterns])

    REQUIRED_RELATIONS = [
        ("references", "Add at least one reference."),
        ("codes", "Add at least one clinical code."),
    ]
    PROPOSAL_CHILDREN = ["aliases", "mechanism_links", "treatment_links"]

    class Meta(EditorialContent.Meta):
        ordering = ["name"]
        permissions = [("publish_condition", "Can review, publish and archive conditions")]
        # The public pages list published conditions in these orders, a page at a time: with
        # an index the database reads just that page instead of sorting every condition.
        indexes = [
            models.Index(fields=["status", "name"], name="condition_published_by_name"),
            models.Index(fields=["status", "updated"], name="condition_published_by_date"),
            models.Index(
                fields=["status", "-is_emergency", "name"], name="condition_featured_order"
            ),
        ]
        constraints = [
            *EditorialContent.Meta.constraints,
            published_is_complete(EditorialContent.PUBLISHED_NEEDS),
            models.CheckConstraint(
                condition=Q(is_emergency=False) | ~Q(emergency_warning=""),
                name="condition_emergency_has_warning",
                violation_error_message="An emergency condition needs its warning text.",
            ),
            models.CheckConstraint(
                condition=Q(is_nerve_disease=False) | Q(neuropathy_frequency=""),
                name="condition_nerve_disease_has_no_frequency",
                violation_error_message=(
                    "A condition that is itself a nerve disease has no “how often it causes "
                    "neuropathy”."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("conditions:condition-detail", kwargs={"slug": self.slug})

    @property
    def fibres(self):
        return [
            fibre
            for fibre, affected in (
                (Fibre.SENSORY, self.affects_sensory),
                (Fibre.MOTOR, self.affects_motor),
                (Fibre.AUTONOMIC, self.affects_autonomic),
            )
            if affected
        ]

    def sections(self):
        """(field, heading, text) for each written section, in reading order."""
        # Headings are the catalogue's msgids: in the language being served.
        return [
            (field, gettext(heading), getattr(self, field))
            for field, heading in CONDITION_SECTIONS
            if getattr(self, field).strip()
        ]

    def clean(self):
        super().clean()
        if self.is_emergency and not self.emergency_warning.strip():
            raise ValidationError(
                {"emergency_warning": "An emergency condition needs its warning text."}
            )

    def scored_texts(self):
        return [
            ("Summary", self.summary, SUMMARY_MAX_GRADE),
            *(
                (heading, getattr(self, field), SECTION_MAX_GRADE)
                for field, heading in CONDITION_SECTIONS
            ),
            *((label, text, HELP_MAX_GRADE) for label, text in self.labelled_help_levels()),
        ]

    def publication_problems(self, related=None):
        problems = super().publication_problems(related)
        missing_sections = [
            heading for field, heading in CONDITION_SECTIONS if not getattr(self, field).strip()
        ]
        if missing_sections:
            problems.append("Write these sections: " + ", ".join(missing_sections) + ".")
        return problems


# The written sections of a condition page, in the order a worried reader needs them, each
# headed by its field's name. The page puts "when to get help" after the symptoms.
SECTION_FIELDS = [
    "overview",
    "symptoms_text",
    "nerve_effects",
    "diagnosis",
    "treatment",
    "living_with",
]
CONDITION_SECTIONS = [
    (name, capfirst(Condition._meta.get_field(name).verbose_name)) for name in SECTION_FIELDS
]
QUESTIONS_HEADING = capfirst(Condition._meta.get_field("questions_for_doctor").verbose_name)
# sections() and the condition view translate these headings with gettext(heading), which
# makemessages cannot see: marked here so the catalogue keeps them.
SECTION_HEADING_MSGIDS = [
    gettext_noop("What it is"),
    gettext_noop("Symptoms"),
    gettext_noop("How it damages the nerves"),
    gettext_noop("How it is diagnosed"),
    gettext_noop("Treatment"),
    gettext_noop("Living with it"),
    gettext_noop("Questions to ask your doctor"),
    gettext_noop("How it is given and how long it takes"),
    gettext_noop("What to expect on the day"),
    gettext_noop("Common side effects"),
    gettext_noop("Serious side effects: get help"),
    gettext_noop("Questions to ask about it"),
]


def active_language():
    """The language being served, as one of settings.LANGUAGES ("en" outside any request)."""
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


class AliasQuerySet(ContentQuerySet):
    def in_language(self, language=None):
        """Aliases used in one language (the active one unless given)."""
        return self.filter(language=language or active_language())

    def published(self):
        """Aliases, in the active language, of conditions published in it."""
        return self.in_language().filter(condition__in=Condition.objects.published())


class AliasManager(models.Manager.from_queryset(AliasQuerySet)):
    def get_by_natural_key(self, name, language, condition_slug):
        return self.get(name=name, language=language, condition__slug=condition_slug)


class Alias(models.Model):
    """Another name a condition goes by, such as “lupus” or the abbreviation “SLE”."""

    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=160)
    is_abbreviation = models.BooleanField(default=False)
    is_subtype = models.BooleanField(
        "names a form of the condition",
        default=False,
        help_text="A subtype or variant (e.g. AIDP for Guillain-Barré syndrome), not another "
        "name for the whole condition.",
    )
    # Aliases are not translations of each other: Spanish readers say "LES", English "SLE".
    language = models.CharField(max_length=5, choices=settings.LANGUAGES, default="en")

    objects = AliasManager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "aliases"
        constraints = [
            models.UniqueConstraint(
                fields=["condition", "name", "language"], name="alias_unique_per_condition"
            )
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name, self.language, *self.condition.natural_key())

    natural_key.dependencies = ["conditions.condition"]


class Role(models.TextChoices):
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary"


class Evidence(models.TextChoices):
    STRONG = "strong", "Strong"
    MODERATE = "moderate", "Moderate"
    LIMITED = "limited", "Limited"


ROLE_IN_PLAIN_WORDS = {
    Role.PRIMARY: "The main way the nerves are damaged",
    Role.SECONDARY: "A less common way the nerves are damaged",
}
EVIDENCE_IN_PLAIN_WORDS = {
    Evidence.STRONG: "doctors are sure of this",
    Evidence.MODERATE: "several studies show this",
    Evidence.LIMITED: "only a few studies suggest this",
}


class ConditionMechanismQuerySet(ContentQuerySet):
    """Links between conditions and mechanisms; a public page shows a link only if the other
    end is published too."""

    def with_published_mechanism(self):
        return self.filter(mechanism__status=Status.PUBLISHED)

    def with_published_condition(self):
        return self.filter(condition__status=Status.PUBLISHED)

    def shown_on_mechanism_page(self, mechanism, limit):
        """The first `limit` published conditions of a mechanism, primary ones first.

        A plain LIMIT query with only the columns shown: a sliced prefetch would order every
        link of every mechanism through a window function, several times slower.
        """
        return (
            self.with_published_condition()
            .filter(mechanism=mechanism)
            .select_related("condition")
            .only("mechanism_id", "role", "evidence", "note", "condition__name", "condition__slug")
            .order_by("role", "condition__name")[:limit]
        )


class ConditionMechanismManager(models.Manager.from_queryset(ConditionMechanismQuerySet)):
    def get_by_natural_key(self, condition_slug, mechanism_slug):
        return self.get(condition__slug=condition_slug, mechanism__slug=mechanism_slug)


class ConditionMechanism(models.Model):
    """How a condition uses a mechanism: its role, how sure we are, and a short note."""

    condition = models.ForeignKey(
        Condition, on_delete=models.CASCADE, related_name="mechanism_links"
    )
    mechanism = models.ForeignKey(
        Mechanism, on_delete=models.PROTECT, related_name="condition_links"
    )
    role = models.CharField(max_length=10, choices=Role, default=Role.PRIMARY)
    evidence = models.CharField("strength of evidence", max_length=10, choices=Evidence)
    note = models.CharField(max_length=300, blank=True)

    objects = ConditionMechanismManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "mechanism__name"]
        verbose_name = "mechanism link"
        constraints = [
            models.UniqueConstraint(
                fields=["condition", "mechanism"], name="conditionmechanism_unique_pair"
            )
        ]

    def __str__(self):
        return f"{self.condition} → {self.mechanism} ({self.get_role_display()})"

    def plain_role(self):
        """The role in a patient's words, true from either end of the link."""
        return ROLE_IN_PLAIN_WORDS[self.role]

    def plain_evidence(self):
        """How sure doctors are, in a patient's words (the grade is for professionals)."""
        return EVIDENCE_IN_PLAIN_WORDS[self.evidence]

    def natural_key(self):
        return (*self.condition.natural_key(), *self.mechanism.natural_key())

    natural_key.dependencies = ["conditions.condition", "conditions.mechanism"]


class GlossaryTermQuerySet(ContentQuerySet, EditorialQuerySet):
    pass


class GlossaryTermManager(SlugManager.from_queryset(GlossaryTermQuerySet)):
    pass


class GlossaryTerm(EditorialContent):
    """A medical word used on the site, with a one- or two-sentence plain definition."""

    term = models.CharField(max_length=120, help_text="As it is written on the site.")
    slug = models.SlugField(max_length=120, unique=True)
    definition = models.TextField(
        blank=True, help_text="One or two plain sentences, grade 6 or below."
    )
    other_forms = models.CharField(
        max_length=300,
        blank=True,
        help_text="Other spellings and forms found in the text, comma-separated "
        "(e.g. “neuropathies, neuropathic”).",
    )

    objects = GlossaryTermManager()
    history = HistoricalRecords()

    PUBLISHED_NEEDS = [("definition", "a plain definition")]

    class Meta(EditorialContent.Meta):
        ordering = ["term"]
        permissions = [("publish_glossaryterm", "Can review, publish and archive glossary terms")]
        constraints = [
            *EditorialContent.Meta.constraints,
            published_is_complete([("definition", "a plain definition")]),
        ]

    def __str__(self):
        return self.term

    def get_absolute_url(self):
        return reverse("conditions:glossary-term", kwargs={"slug": self.slug})

    def scored_texts(self):
        return [("Definition", self.definition, GLOSSARY_MAX_GRADE)]

    @property
    def forms(self):
        """The term and every other form of it, as written."""
        return [self.term, *(form.strip() for form in self.other_forms.split(",") if form.strip())]


class TreatmentKind(models.TextChoices):
    MEDICINE = "medicine", "Medicine"
    PROCEDURE = "procedure", "Procedure"
    THERAPY = "therapy", "Therapy"


class TreatmentQuerySet(ContentQuerySet, EditorialQuerySet):
    def with_page_relations(self):
        """A treatment's page: its references and its links to published conditions."""
        return self.select_related("reviewed_by").prefetch_related(
            "references",
            Prefetch(
                "condition_links",
                queryset=ConditionTreatment.objects.with_published_condition()
                .select_related("condition")
                .order_by("condition__name"),
                to_attr="published_condition_links",
            ),
        )


class TreatmentManager(SlugManager.from_queryset(TreatmentQuerySet)):
    pass


class Treatment(EditorialContent):
    """A treatment as patients meet it: what it is, how it is given, what to expect, its risks."""

    name = models.CharField(max_length=160)
    slug = models.SlugField(max_length=160, unique=True)
    kind = models.CharField(max_length=10, choices=TreatmentKind, default=TreatmentKind.MEDICINE)
    summary = models.TextField(blank=True, help_text="Two or three plain sentences.")
    what_it_is = models.TextField("what it is", blank=True, help_text="Markdown.")
    how_given = models.TextField(
        "how it is given and how long it takes", blank=True, help_text="Markdown."
    )
    on_the_day = models.TextField("what to expect on the day", blank=True, help_text="Markdown.")
    common_side_effects = models.TextField(
        "common side effects", blank=True, help_text="Markdown list."
    )
    serious_side_effects = models.TextField(
        "serious side effects: get help", blank=True, help_text="Markdown list."
    )
    questions_to_ask = models.TextField(
        "questions to ask about it", blank=True, help_text="Markdown list, one per line."
    )
    references = models.ManyToManyField(Reference, blank=True, related_name="treatments")

    objects = TreatmentManager()
    history = HistoricalRecords(m2m_fields=[references])

    REQUIRED_RELATIONS = [("references", "Add at least one reference.")]

    class Meta(EditorialContent.Meta):
        ordering = ["name"]
        permissions = [("publish_treatment", "Can review, publish and archive treatments")]
        constraints = [
            *EditorialContent.Meta.constraints,
            published_is_complete(EditorialContent.PUBLISHED_NEEDS),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("conditions:treatment-detail", kwargs={"slug": self.slug})

    def sections(self):
        """(field, heading, text) for each written section, in reading order."""
        return [
            (field, heading, getattr(self, field))
            for field, heading in TREATMENT_SECTIONS
            if getattr(self, field).strip()
        ]

    def scored_texts(self):
        return [
            ("Summary", self.summary, SUMMARY_MAX_GRADE),
            *(
                (heading, getattr(self, field), SECTION_MAX_GRADE)
                for field, heading in TREATMENT_SECTIONS
            ),
        ]

    def publication_problems(self, related=None):
        problems = super().publication_problems(related)
        missing = [
            heading for field, heading in TREATMENT_SECTIONS if not getattr(self, field).strip()
        ]
        if missing:
            problems.append("Write these sections: " + ", ".join(missing) + ".")
        return problems


TREATMENT_SECTION_FIELDS = [
    "what_it_is",
    "how_given",
    "on_the_day",
    "common_side_effects",
    "serious_side_effects",
    "questions_to_ask",
]
TREATMENT_SECTIONS = [
    (name, capfirst(Treatment._meta.get_field(name).verbose_name))
    for name in TREATMENT_SECTION_FIELDS
]


class TreatmentRole(models.TextChoices):
    """What a treatment is for in one condition. The order is the order a page lists them."""

    FIRST_LINE = "first_line", "First-line"
    MAINTENANCE = "maintenance", "Maintenance"
    RELAPSE = "relapse", "For relapse"
    SECOND_LINE = "second_line", "If first-line treatment is not enough"
    SUPPORTIVE = "supportive", "For symptoms and recovery"
    NOT_RECOMMENDED = "not_recommended", "Not recommended"


# Roles sort by this, not by their stored text.
TREATMENT_ROLE_ORDER = {role: position for position, role in enumerate(TreatmentRole.values)}


class ConditionTreatmentQuerySet(ContentQuerySet):
    """Links between conditions and treatments; a page shows a link only if the other end is
    published too."""

    def with_published_treatment(self):
        return self.filter(treatment__status=Status.PUBLISHED)

    def with_published_condition(self):
        return self.filter(condition__status=Status.PUBLISHED)


class ConditionTreatmentManager(models.Manager.from_queryset(ConditionTreatmentQuerySet)):
    def get_by_natural_key(self, condition_slug, treatment_slug):
        return self.get(condition__slug=condition_slug, treatment__slug=treatment_slug)


class ConditionTreatment(models.Model):
    """How a treatment is used in a condition: its role and a short note."""

    condition = models.ForeignKey(
        Condition, on_delete=models.CASCADE, related_name="treatment_links"
    )
    treatment = models.ForeignKey(
        Treatment, on_delete=models.PROTECT, related_name="condition_links"
    )
    role = models.CharField(max_length=20, choices=TreatmentRole)
    note = models.CharField(
        max_length=300, blank=True, help_text="One plain sentence, e.g. “Within two weeks.”"
    )

    objects = ConditionTreatmentManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["treatment__name"]
        verbose_name = "treatment link"
        constraints = [
            models.UniqueConstraint(
                fields=["condition", "treatment"], name="conditiontreatment_unique_pair"
            )
        ]

    def __str__(self):
        return f"{self.condition} → {self.treatment} ({self.get_role_display()})"

    def natural_key(self):
        return (*self.condition.natural_key(), *self.treatment.natural_key())

    natural_key.dependencies = ["conditions.condition", "conditions.treatment"]

    @property
    def role_order(self):
        return TREATMENT_ROLE_ORDER.get(self.role, len(TREATMENT_ROLE_ORDER))


class SearchTally(models.Model):
    """How often one normalised query was searched in one week, and how often it found
    nothing: what readers look for, for editors. Nothing about who searched is kept."""

    week = models.DateField(help_text="The Monday the week starts on.")
    query = models.CharField(max_length=100)
    searches = models.PositiveIntegerField(default=0)
    empty_searches = models.PositiveIntegerField("found nothing", default=0)

    class Meta:
        ordering = ["-week", "-searches", "query"]
        verbose_name = "search count"
        verbose_name_plural = "what readers search for"
        constraints = [
            models.UniqueConstraint(fields=["week", "query"], name="searchtally_one_per_week"),
            models.CheckConstraint(
                condition=Q(empty_searches__lte=models.F("searches")),
                name="searchtally_empty_within_total",
            ),
        ]

    def __str__(self):
        return f"{self.query} (week of {self.week:%d %b %Y})"


class ContentBaseline(models.Model):
    """What `load_content` last loaded for one fixture record: a digest of its fields.

    A row whose fields still match its baseline was not edited since it was loaded, so a new
    release of the fixtures may update it; one that differs holds an editor's work.
    """

    model = models.CharField(max_length=100)
    natural_key = models.CharField(max_length=400)
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "natural_key"], name="baseline_one_per_record")
        ]

    def __str__(self):
        return f"{self.model} {self.natural_key}"


# Items with public pages: the change log records what happens to each (conditions/signals.py).
PAGE_MODELS = {Condition, Mechanism, Symptom, Treatment, GlossaryTerm}
