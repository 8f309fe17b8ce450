"""Re-running load_content never destroys editors' work by accident."""

import json
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings

from conditions.models import Condition, Symptom

FIXTURES = Path(settings.FIXTURE_DIRS[0])

pytestmark = pytest.mark.django_db


@pytest.fixture
def fixtures_copy(tmp_path):
    """A copy of the real fixtures that a test can change as a new content release would."""
    for path in FIXTURES.glob("*.json"):
        shutil.copy(path, tmp_path / path.name)

    def change(file_name, slug, **fields):
        path = tmp_path / file_name
        records = json.loads(path.read_text())
        for record in records:
            if record["fields"].get("slug") == slug:
                record["fields"].update(fields)
        path.write_text(json.dumps(records))

    with override_settings(FIXTURE_DIRS=[tmp_path]):
        yield change


def edit_as_an_editor(slug, **fields):
    condition = Condition.objects.get(slug=slug)
    for name, value in fields.items():
        setattr(condition, name, value)
    condition.save_as(None, "Edited in the admin")
    return condition


def test_reloading_over_an_edit_refuses_and_names_the_record(content):
    edited = edit_as_an_editor("sarcoidosis", summary="An editor's better summary.")
    with pytest.raises(CommandError) as refused:
        call_command("load_content", verbosity=0)
    message = str(refused.value)
    assert "conditions.condition sarcoidosis: summary" in message
    assert "--overwrite" in message
    edited.refresh_from_db()
    assert edited.summary == "An editor's better summary."


def test_overwriting_is_deliberate_writes_history_and_moves_versions_on(content):
    edited = edit_as_an_editor("sarcoidosis", summary="An editor's better summary.")
    version = edited.version
    call_command("load_content", overwrite=True, verbosity=0)
    edited.refresh_from_db()
    assert edited.summary != "An editor's better summary."
    assert edited.version == version + 1
    assert edited.history.first().history_change_reason == "Loaded from the content fixtures"
    assert edited.history.first().summary == edited.summary  # history matches the live row


def test_a_new_release_updates_what_nobody_edited_and_adds_what_is_new(content, fixtures_copy):
    untouched = Condition.objects.get(slug="coeliac-disease")
    fixtures_copy("05_conditions.json", "coeliac-disease", summary="A new release's summary.")
    fixtures_copy("03_symptoms.json", "cramps", name="Muscle cramps")
    call_command("load_content", verbosity=0)
    untouched.refresh_from_db()
    assert untouched.summary == "A new release's summary."
    assert untouched.history.first().history_change_reason == "Loaded from the content fixtures"
    assert Symptom.objects.get(slug="cramps").name == "Muscle cramps"


def test_a_new_release_still_refuses_to_replace_an_edited_record(content, fixtures_copy):
    edit_as_an_editor("sarcoidosis", overview="The editor's overview.")
    fixtures_copy("05_conditions.json", "coeliac-disease", summary="A new release's summary.")
    with pytest.raises(CommandError):
        call_command("load_content", verbosity=0)
    assert Condition.objects.get(slug="coeliac-disease").summary != "A new release's summary."


def test_reloading_unchanged_content_changes_nothing(content):
    versions = dict(Condition.objects.values_list("slug", "version"))
    call_command("load_content", verbosity=0)
    assert dict(Condition.objects.values_list("slug", "version")) == versions


def test_published_fixture_records_obey_the_publishing_rules(db, fixtures_copy):
    fixtures_copy(
        "05_conditions.json",
        "sarcoidosis",
        summary=(
            "Immunomodulatory pharmacotherapy necessitates individualised multidisciplinary "
            "consideration of contraindications, comorbidities and pharmacokinetic interactions."
        ),
    )
    with pytest.raises(CommandError) as refused:
        call_command("load_content", verbosity=0)
    assert "conditions.condition sarcoidosis" in str(refused.value)
    assert "Summary (grade" in str(refused.value)
    assert not Condition.objects.exists()
