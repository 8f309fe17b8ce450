"""Write all content as natural-key fixtures, in the fixtures/ layout, for `load_content`."""

import json
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management import BaseCommand, CommandError
from django.db import transaction

from conditions.models import (
    Alias,
    ClinicalCode,
    Condition,
    ConditionMechanism,
    ConditionTreatment,
    GlossaryTerm,
    Mechanism,
    NeuropathyPattern,
    Reference,
    Symptom,
    Treatment,
)
from editorial.models import Reviewer

# One file per model, in an order where every file only refers to files before it.
# History tables are not content and are never exported.
CONTENT_FILES = [
    ("00_reviewers.json", Reviewer),
    ("00_neuropathy_patterns.json", NeuropathyPattern),
    ("01_references.json", Reference),
    ("02_codes.json", ClinicalCode),
    ("03_symptoms.json", Symptom),
    ("04_mechanisms.json", Mechanism),
    ("05_conditions.json", Condition),
    ("06_aliases.json", Alias),
    ("07_condition_mechanisms.json", ConditionMechanism),
    ("08_glossary.json", GlossaryTerm),
    ("09_treatments.json", Treatment),
    ("10_condition_treatments.json", ConditionTreatment),
]


# A reviewer's staff account is not content: a restored reviewer is linked to an account anew.
EXPORTED_FIELDS = {Reviewer: ["slug", "name", "credentials", "version"]}


def records(model):
    """The model's rows as fixture records, natural keys throughout, so they load into any
    database whatever its ids."""
    return json.loads(
        serializers.serialize(
            "json",
            model._default_manager.order_by("pk"),
            fields=EXPORTED_FIELDS.get(model),
            use_natural_foreign_keys=True,
            use_natural_primary_keys=True,
        )
    )


def as_text(rows):
    return json.dumps(rows, indent=1, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = (
        "Export all content as natural-key fixtures (one file per model, like fixtures/), "
        "or as one file when --output ends in .json. Reviewers are exported by name, without "
        "their staff accounts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=str(settings.FIXTURE_DIRS[0]),
            help="A directory (default: the fixtures directory) or a .json file.",
        )

    def handle(self, *args, output, verbosity=1, **options):
        target = Path(output)
        # One snapshot: every file describes the same moment, even while editors work.
        with transaction.atomic():
            if target.suffix == ".json":
                self._write_one_file(target)
                written = [target]
            else:
                written = self._write_directory(target)
        if verbosity:
            for path in written:
                self.stdout.write(f"Wrote {path}")

    def _write_directory(self, directory):
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory} is not a directory.")
        directory.mkdir(parents=True, exist_ok=True)
        written = []
        for name, model in CONTENT_FILES:
            path = directory / name
            path.write_text(as_text(records(model)), encoding="utf-8")
            written.append(path)
        return written

    def _write_one_file(self, path):
        path.parent.mkdir(parents=True, exist_ok=True)
        rows = [row for _, model in CONTENT_FILES for row in records(model)]
        path.write_text(as_text(rows), encoding="utf-8")
