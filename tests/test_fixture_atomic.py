"""A broken content fixture changes nothing, and the error names the record to fix.

These run without a wrapping test transaction (transaction=True), so "nothing changed" is
proven against the database itself, not against a test savepoint.
"""

import json
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings

from conditions.models import Condition, ConditionMechanism, Mechanism, Reference
from tests.browser.public_content import seed_patterns

FIXTURES = Path(settings.FIXTURE_DIRS[0])

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fixture_copy(tmp_path):
    """A copy of the real fixtures to break, and load_content pointed at it."""
    seed_patterns()
    for path in FIXTURES.glob("*.json"):
        shutil.copy(path, tmp_path / path.name)

    def edit(file_name, change):
        path = tmp_path / file_name
        records = json.loads(path.read_text())
        change(records)
        path.write_text(json.dumps(records))

    with override_settings(FIXTURE_DIRS=[tmp_path]):
        yield edit


def content_snapshot():
    return {
        model.__name__: sorted(map(str, model.objects.values_list()))
        for model in (Reference, Mechanism, Condition, ConditionMechanism)
    }


def nth_of_model(records, model_label, n=0):
    return [record for record in records if record["model"] == model_label][n]


def test_unknown_natural_key_in_the_last_file_loads_nothing_and_names_the_record(fixture_copy):
    def point_at_missing_mechanism(records):
        records[2]["fields"]["mechanism"] = ["no-such-mechanism"]

    fixture_copy("07_condition_mechanisms.json", point_at_missing_mechanism)

    with pytest.raises(CommandError) as failure:
        call_command("load_content", verbosity=0)

    message = str(failure.value)
    assert message.startswith("Nothing was loaded.")
    assert "07_condition_mechanisms.json, record 3 (conditions.conditionmechanism" in message
    assert "no-such-mechanism" in message
    # The earlier files were valid, and still none of their rows were kept.
    assert Reference.objects.count() == 0
    assert Condition.objects.count() == 0


def test_constraint_violation_names_the_condition_by_slug(fixture_copy):
    broken = {}

    def emergency_without_warning(records):
        condition = nth_of_model(records, "conditions.condition", 1)
        condition["fields"].update(is_emergency=True, emergency_warning="")
        broken["slug"] = condition["fields"]["slug"]

    fixture_copy("05_conditions.json", emergency_without_warning)

    with pytest.raises(CommandError) as failure:
        call_command("load_content", verbosity=0)

    message = str(failure.value)
    assert f"(conditions.condition {broken['slug']})" in message
    assert "condition_emergency_has_warning" in message
    assert Condition.objects.count() == 0


def test_bad_field_value_names_the_record_and_the_value(fixture_copy):
    broken = {}

    def impossible_date(records):
        condition = nth_of_model(records, "conditions.condition", 2)
        condition["fields"]["next_review_due"] = "31/02/2025"
        broken["slug"] = condition["fields"]["slug"]

    fixture_copy("05_conditions.json", impossible_date)

    with pytest.raises(CommandError) as failure:
        call_command("load_content", verbosity=0)

    assert f"(conditions.condition {broken['slug']})" in str(failure.value)
    assert "31/02/2025" in str(failure.value)


def test_broken_reload_over_existing_content_changes_nothing(fixture_copy):
    call_command("load_content", verbosity=0)
    before = content_snapshot()
    assert before["Condition"], "the real fixtures should have loaded"

    def edit_one_and_break_another(records):
        # A valid edit early in the run, then a broken record: the edit must not survive.
        records[0]["fields"]["name"] = "Renamed by a half-applied load"
        records[-1]["fields"]["is_emergency"] = True
        records[-1]["fields"]["emergency_warning"] = ""

    fixture_copy("05_conditions.json", edit_one_and_break_another)

    with pytest.raises(CommandError):
        call_command("load_content", verbosity=0)

    assert content_snapshot() == before
    assert not Condition.objects.filter(name="Renamed by a half-applied load").exists()


def test_invalid_json_is_named(fixture_copy, tmp_path):
    (tmp_path / "03_symptoms.json").write_text('[{"model": "conditions.symptom", ')

    with pytest.raises(CommandError, match=r"03_symptoms\.json") as failure:
        call_command("load_content", verbosity=0)

    assert "Nothing was loaded." in str(failure.value)
    assert Reference.objects.count() == 0
