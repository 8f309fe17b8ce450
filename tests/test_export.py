"""export_content writes fixtures that load back into an empty database identically."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management import call_command

from conditions.management.commands.export_content import CONTENT_FILES
from conditions.models import Condition, NeuropathyPattern, Reference
from editorial.models import Reviewer
from tests import factories

pytestmark = pytest.mark.django_db


def snapshot():
    """Every content row with its fields and relations, by natural key (ids may differ).

    A reviewer's staff account is not content, so it is not part of what must come back."""
    rows = {}
    for _, model in CONTENT_FILES:
        serialized = json.loads(
            serializers.serialize(
                "json",
                model._default_manager.all(),
                use_natural_foreign_keys=True,
                use_natural_primary_keys=True,
            )
        )
        for row in serialized:
            if model is Reviewer:
                row["fields"].pop("user")
        rows[model._meta.label] = sorted(json.dumps(row, sort_keys=True) for row in serialized)
    return rows


def empty_the_content_tables():
    # Reverse file order: links before the things they link.
    for _, model in reversed(CONTENT_FILES):
        model._default_manager.all().delete()


@pytest.fixture
def edited_content(content):
    """The real content plus what editors add: a reviewer, bumped versions, a draft."""
    reviewer = factories.ReviewerFactory(slug="rita", name="Dr Rita Example")
    condition = Condition.objects.order_by("pk").first()
    condition.record_review(reviewer)
    condition.summary += " Edited once."
    condition.save()
    factories.ConditionFactory(status="draft", slug="a-draft", name="A draft")


def test_export_writes_the_fixtures_layout(edited_content, tmp_path):
    call_command("export_content", output=str(tmp_path), verbosity=0)
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        name for name, _ in CONTENT_FILES
    )
    conditions = json.loads((tmp_path / "05_conditions.json").read_text())
    first = conditions[0]
    assert "pk" not in first  # natural primary keys
    assert all(isinstance(code, list) for code in first["fields"]["codes"])
    assert not any("historical" in row["model"] for row in conditions)


def test_round_trip_into_an_empty_database_is_identical(edited_content, tmp_path):
    before = snapshot()
    assert sum(len(rows) for rows in before.values()) > 50
    call_command("export_content", output=str(tmp_path), verbosity=0)

    empty_the_content_tables()
    NeuropathyPattern.objects.all().delete()
    assert not Condition.objects.exists()
    assert not Reference.objects.exists()

    # An empty database: no reviewer and no staff account survive either.
    Reviewer.objects.all().delete()
    get_user_model().objects.all().delete()

    call_command("loaddata", *sorted(str(p) for p in tmp_path.iterdir()), verbosity=0)
    assert snapshot() == before
    edited = Condition.objects.get(reviewed_by__slug="rita")
    assert edited.version == 2
    assert edited.reviewed_by.name == "Dr Rita Example"
    assert edited.reviewed_by.user is None  # accounts are not content

    again = tmp_path / "again"
    call_command("export_content", output=str(again), verbosity=0)
    for path in again.iterdir():
        assert path.read_text() == (tmp_path / path.name).read_text(), path.name


def test_single_file_export_round_trips_too(edited_content, tmp_path):
    before = snapshot()
    target = tmp_path / "all-content.json"
    call_command("export_content", output=str(target), verbosity=0)
    empty_the_content_tables()
    Reviewer.objects.all().delete()
    call_command("loaddata", str(target), verbosity=0)
    assert snapshot() == before
