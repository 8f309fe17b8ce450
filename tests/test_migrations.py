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

    call_command("migrate", "conditions", verbosity=0)
    assert conditions_tables() == forward_tables
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    # Data migrations ran again, and the schema still takes the real content.
    assert NeuropathyPattern.objects.exists()
    call_command("load_content", verbosity=0)
    assert Condition.objects.published().exists()
