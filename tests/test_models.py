"""The rules the model layer enforces, whoever saves the content."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from conditions.models import (
    Alias,
    ClinicalCode,
    CodeSystem,
    Condition,
    ConditionMechanism,
    Evidence,
    Mechanism,
    Reference,
    Role,
    Status,
    normalise_code,
)
from editorial.models import StaleEdit, TransitionRefused
from tests.factories import (
    ClinicalCodeFactory,
    ConditionFactory,
    MechanismFactory,
    ReferenceFactory,
    ReviewerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_published_returns_only_published_content():
    published = ConditionFactory(status=Status.PUBLISHED)
    for status in (Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED):
        ConditionFactory(status=status)
    assert list(Condition.objects.published()) == [published]


def test_published_mechanisms_only():
    published = MechanismFactory()
    MechanismFactory(status=Status.DRAFT)
    assert list(Mechanism.objects.published()) == [published]


def test_review_querysets():
    today = datetime.date(2026, 6, 1)
    overdue = ConditionFactory(
        reviewed_on=datetime.date(2025, 1, 1), next_review_due=datetime.date(2026, 5, 1)
    )
    due_soon = ConditionFactory(
        reviewed_on=datetime.date(2025, 6, 10), next_review_due=datetime.date(2026, 6, 20)
    )
    ConditionFactory(
        reviewed_on=datetime.date(2026, 5, 1), next_review_due=datetime.date(2027, 5, 1)
    )
    waiting = ConditionFactory(status=Status.IN_REVIEW)
    assert list(Condition.objects.overdue_for_review(today=today)) == [overdue]
    assert list(Condition.objects.due_for_review(today=today)) == [due_soon]
    assert list(Condition.objects.awaiting_review()) == [waiting]


def test_slugs_are_unique():
    ConditionFactory(slug="lupus")
    with pytest.raises(IntegrityError), transaction.atomic():
        ConditionFactory(slug="lupus")


@pytest.mark.parametrize(
    "field, value",
    [("summary", "")],
)
def test_database_refuses_incomplete_published_condition(field, value):
    condition = ConditionFactory()
    setattr(condition, field, value)
    with pytest.raises(IntegrityError), transaction.atomic():
        condition.save()


def test_incomplete_draft_is_allowed():
    condition = ConditionFactory(status=Status.DRAFT, summary="")
    condition.full_clean()


def test_clean_names_the_missing_publication_fields():
    condition = Condition(name="X", slug="x", status=Status.PUBLISHED)
    with pytest.raises(ValidationError) as error:
        condition.full_clean()
    # A summary is what a published page needs of itself; a review date it must not claim.
    assert set(error.value.message_dict) == {"summary"}


def test_next_review_must_follow_last_review():
    condition = ConditionFactory(reviewed_on=datetime.date(2026, 1, 1))
    condition.next_review_due = condition.reviewed_on
    with pytest.raises(ValidationError) as error:
        condition.full_clean()
    assert "next_review_due" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        condition.save()


def test_emergency_needs_warning_text():
    condition = ConditionFactory.build(is_emergency=True, emergency_warning="")
    with pytest.raises(ValidationError) as error:
        condition.full_clean()
    assert "emergency_warning" in error.value.message_dict


def test_database_refuses_emergency_without_warning():
    with pytest.raises(IntegrityError), transaction.atomic():
        ConditionFactory(is_emergency=True, emergency_warning="")


def test_publication_problems_list_what_is_missing():
    condition = ConditionFactory(
        status=Status.DRAFT, summary="", treatment="", references=[ReferenceFactory()]
    )
    condition.references.clear()
    problems = condition.publication_problems()
    assert "Add a plain-language summary." in problems
    assert "Add at least one reference." in problems
    assert "Add at least one clinical code." in problems
    assert any("Treatment" in problem for problem in problems)


def test_complete_condition_has_no_publication_problems():
    condition = ConditionFactory(codes=[ClinicalCodeFactory(code="G61.0")])
    assert condition.publication_problems() == []


@pytest.mark.parametrize(
    "system, code",
    [
        (CodeSystem.ICD10CM, "M32.14"),
        (CodeSystem.ICD10CM, "G61.0"),
        (CodeSystem.ICD10CM, "M05"),
        (CodeSystem.ICD10CM, "g61.81"),
        (CodeSystem.SNOMEDCT, "40956001"),
        (CodeSystem.MESH, "D020275"),
    ],
)
def test_well_formed_codes_are_accepted(system, code):
    clinical_code = ClinicalCode(system=system, code=code, display="x")
    clinical_code.full_clean()
    clinical_code.save()
    assert clinical_code.code == normalise_code(system, code)


@pytest.mark.parametrize(
    "system, code",
    [
        (CodeSystem.ICD10CM, "M3"),
        (CodeSystem.ICD10CM, "U07.1X"),
        (CodeSystem.ICD10CM, "1M32.1"),
        (CodeSystem.ICD10CM, "M32.12345"),
        (CodeSystem.SNOMEDCT, "0123456"),
        (CodeSystem.SNOMEDCT, "40956A01"),
        (CodeSystem.MESH, "X020275"),
    ],
)
def test_malformed_codes_are_refused_by_clean_and_database(system, code):
    clinical_code = ClinicalCode(system=system, code=code, display="x")
    with pytest.raises(ValidationError) as error:
        clinical_code.full_clean()
    assert "code" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        ClinicalCode.objects.create(system=system, code=code, display="x")


def test_dotless_icd_code_is_stored_with_its_dot():
    assert normalise_code(CodeSystem.ICD10CM, " m3214 ") == "M32.14"
    assert normalise_code(CodeSystem.ICD10CM, "G35") == "G35"


def test_code_is_unique_within_its_system():
    ClinicalCodeFactory(system=CodeSystem.ICD10CM, code="G61.0")
    with pytest.raises(IntegrityError), transaction.atomic():
        ClinicalCode.objects.create(system=CodeSystem.ICD10CM, code="G61.0", display="again")


def test_reference_needs_a_locator():
    with pytest.raises(IntegrityError), transaction.atomic():
        Reference.objects.create(slug="no-link", title="Untraceable", publisher="Nobody")


def test_reference_link_prefers_url_then_pubmed_then_doi():
    assert Reference(url="https://example.org/a").link == "https://example.org/a"
    assert Reference(pubmed_id="123").link == "https://pubmed.ncbi.nlm.nih.gov/123/"
    assert Reference(doi="10.1/x").link == "https://doi.org/10.1/x"


def test_mechanism_link_holds_role_evidence_and_note():
    condition = ConditionFactory(name="Multiple sclerosis")
    mechanism = MechanismFactory(name="Demyelination")
    link = ConditionMechanism.objects.create(
        condition=condition,
        mechanism=mechanism,
        role=Role.SECONDARY,
        evidence=Evidence.LIMITED,
        note="Affects the brain and spinal cord; peripheral neuropathy with it is rare.",
    )
    assert list(condition.mechanisms.all()) == [mechanism]
    assert link.natural_key() == (condition.slug, mechanism.slug)
    with pytest.raises(IntegrityError), transaction.atomic():
        ConditionMechanism.objects.create(
            condition=condition, mechanism=mechanism, evidence=Evidence.STRONG
        )


def test_alias_natural_key_round_trips():
    condition = ConditionFactory(slug="systemic-lupus-erythematosus")
    alias = Alias.objects.create(condition=condition, name="SLE", is_abbreviation=True)
    assert Alias.objects.get_by_natural_key(*alias.natural_key()) == alias


def test_fibres_and_sections_follow_the_fields():
    condition = ConditionFactory(affects_sensory=True, affects_motor=True, diagnosis="")
    assert condition.fibres == ["sensory", "motor"]
    assert "diagnosis" not in [field for field, _, _ in condition.sections()]


def test_every_save_is_recorded_in_history():
    condition = ConditionFactory()
    versions_before = condition.history.count()
    condition.summary = "A new summary."
    condition.save()
    assert condition.history.count() == versions_before + 1
    assert condition.history.first().summary == "A new summary."


def test_migrate_creates_the_editorial_groups():
    from django.contrib.auth.models import Group

    reviewers = Group.objects.get(name="Medical reviewers")
    assert Group.objects.filter(name="Editors").exists()
    assert reviewers.permissions.filter(codename="publish_condition").exists()


# --- the editorial workflow as model behaviour (the admin, the shell and tests share it) ---


@pytest.fixture
def roles(db):
    call_command("setup_roles", verbosity=0)


def member_of(group_name):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=group_name))
    if group_name == "Medical reviewers":
        ReviewerFactory(user=user)
    return user


def test_only_a_medical_reviewer_can_publish_archive_or_mark_reviewed(roles):
    editor = member_of("Editors")
    draft = ConditionFactory(status=Status.DRAFT, codes=[ClinicalCodeFactory()])
    for transition in ("publish", "archive", "mark_reviewed"):
        with pytest.raises(PermissionDenied):
            getattr(draft, transition)(editor)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    draft.publish(member_of("Medical reviewers"))
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED


def test_publishing_refuses_an_incomplete_item_and_says_why(roles):
    reviewer = member_of("Medical reviewers")
    incomplete = ConditionFactory(status=Status.DRAFT, summary="", codes=[ClinicalCodeFactory()])
    with pytest.raises(TransitionRefused, match=r"Add a plain-language summary\."):
        incomplete.publish(reviewer)
    incomplete.refresh_from_db()
    assert incomplete.status == Status.DRAFT


def test_only_drafts_are_submitted_for_review(roles):
    editor = member_of("Editors")
    draft = ConditionFactory(status=Status.DRAFT)
    draft.submit_for_review(editor)
    assert Condition.objects.get(pk=draft.pk).status == Status.IN_REVIEW
    with pytest.raises(TransitionRefused, match="Only drafts"):
        draft.submit_for_review(editor)


def test_marking_reviewed_records_who_and_when_and_the_next_due_date(roles, settings):
    settings.REVIEW_INTERVAL_DAYS = 100
    reviewer = member_of("Medical reviewers")
    condition = ConditionFactory(codes=[ClinicalCodeFactory()])
    condition.mark_reviewed(reviewer, today=datetime.date(2026, 12, 1))
    condition.refresh_from_db()
    assert condition.reviewed_by.user == reviewer
    assert condition.reviewed_on == datetime.date(2026, 12, 1)
    assert condition.next_review_due == datetime.date(2027, 3, 11)
    assert condition.history.first().history_change_reason == "Reviewed"


def test_a_version_claim_fails_once_someone_else_has_saved(db):
    condition = ConditionFactory()
    loaded = condition.version
    Condition.objects.get(pk=condition.pk).save()  # another editor's save
    with pytest.raises(StaleEdit):
        condition.claim_version(loaded)
    condition.claim_version(loaded + 1)
    assert condition.version == loaded + 1
