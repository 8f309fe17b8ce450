"""export_content writes fixtures that load back into an empty database identically."""

import json

import pytest
from django.core import serializers
from django.core.management import call_command

from conditions.management.commands.export_content import CONTENT_FILES
from conditions.models import Condition, NeuropathyPattern, Reference
from tests import factories

pytestmark = pytest.mark.django_db


def snapshot():
    """Every content row with its fields and relations, by natural key (ids may differ)."""
    return {
        model._meta.label: sorted(
            json.dumps(row, sort_keys=True)
            for row in json.loads(
                serializers.serialize(
                    "json",
                    model._default_manager.all(),
                    use_natural_foreign_keys=True,
                    use_natural_primary_keys=True,
                )
            )
        )
        for _, model in CONTENT_FILES
    }


def empty_the_content_tables():
    # Reverse file order: links before the things they link.
    for _, model in reversed(CONTENT_FILES):
        model._default_manager.all().delete()


@pytest.fixture
def edited_content(content):
    """The real content plus what editors add: a reviewer, bumped versions, a draft."""
    reviewer = factories.UserFactory(username="rita-reviewer", is_staff=True)
    condition = Condition.objects.order_by("pk").first()
    condition.reviewer = reviewer
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

    call_command("loaddata", *sorted(str(p) for p in tmp_path.iterdir()), verbosity=0)
    assert snapshot() == before
    edited = Condition.objects.get(reviewer__username="rita-reviewer")
    assert edited.version == 2


def test_single_file_export_round_trips_too(edited_content, tmp_path):
    before = snapshot()
    target = tmp_path / "all-content.json"
    call_command("export_content", output=str(target), verbosity=0)
    empty_the_content_tables()
    call_command("loaddata", str(target), verbosity=0)
    assert snapshot() == before
