"""Every migration can be reversed: the app migrates to zero and forward again, intact."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from conditions.models import Condition, NeuropathyPattern

# Migrations need real DDL: no wrapping test transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def conditions_tables():
    tables = connection.introspection.table_names()
    return {name for name in tables if name.startswith("conditions_")}


def test_conditions_migrate_to_zero_and_back():
    forward_tables = conditions_tables()
    assert "conditions_condition" in forward_tables

    # An irreversible operation (e.g. RunPython without reverse_code) would raise here.
    call_command("migrate", "conditions", "zero", verbosity=0)
    assert conditions_tables() == set()

    # Migrating conditions to zero also unapplied what depends on it (the change log's seed).
    call_command("migrate", verbosity=0)
    assert conditions_tables() == forward_tables
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    # Data migrations ran again, and the schema still takes the real content.
    assert NeuropathyPattern.objects.exists()
    call_command("load_content", verbosity=0)
    assert Condition.objects.published().exists()


def test_old_review_claims_become_honest_review_records():
    """Rows that named a reviewer keep their review; dates nobody signed are dropped."""
    executor = MigrationExecutor(connection)
    before = [("conditions", "0007_section_headings"), ("editorial", "0001_initial")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    User = old.get_model("auth", "User")
    Condition = old.get_model("conditions", "Condition")
    Symptom = old.get_model("conditions", "Symptom")
    rita = User.objects.create(username="rita", first_name="Rita", last_name="Example")
    shared = {"status": "published", "summary": "S.", "next_review_due": "2027-10-01"}
    Condition.objects.create(
        slug="signed", name="Signed", last_reviewed="2026-10-01", reviewer=rita, **shared
    )
    Condition.objects.create(slug="unsigned", name="Unsigned", last_reviewed="2026-10-01", **shared)
    Symptom.objects.create(slug="numbness", name="Numbness", clinical_term="x", description="d")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    new = executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps
    Condition = new.get_model("conditions", "Condition")
    signed = Condition.objects.get(slug="signed")
    assert str(signed.reviewed_on) == "2026-10-01"
    assert signed.reviewed_by.name == "Rita Example"
    assert signed.reviewed_by.user.username == "rita"
    unsigned = Condition.objects.get(slug="unsigned")
    assert (unsigned.reviewed_on, unsigned.reviewed_by) == (None, None)
    assert new.get_model("conditions", "Symptom").objects.get(slug="numbness").status == "published"
