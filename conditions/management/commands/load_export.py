"""Restore a mirror from the bulk export (/api/v1/export/) into an empty database."""

import tempfile
import urllib.request
from pathlib import Path

from django.core.management import BaseCommand, CommandError, call_command
from django.db import transaction

from conditions import export
from conditions.models import Condition, GlossaryTerm, Mechanism, Symptom, Treatment


class Command(BaseCommand):
    help = (
        "Load an export (a file, or the export's URL) into an empty database: the same "
        "published pages as the site it came from. Then follow /api/v1/changes/ from the "
        "export's changes_cursor, which this prints."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="A downloaded export (.gz or not), or its URL.")

    def handle(self, *args, source, verbosity=1, **options):
        content = (Condition, Mechanism, Symptom, Treatment, GlossaryTerm)
        if any(model.objects.exists() for model in content):
            raise CommandError(
                "The database already holds content: load an export only into an empty one."
            )
        if source.startswith(("http://", "https://")):
            with urllib.request.urlopen(source, timeout=60) as answer:
                raw = answer.read()
        else:
            path = Path(source)
            if not path.is_file():
                raise CommandError(f"No such file: {source}")
            raw = path.read_bytes()
        try:
            head, records = export.read(raw)
        except (ValueError, KeyError, IndexError, OSError) as error:
            raise CommandError(f"Not an export: {error}") from None
        if head.get("format_version") != export.FORMAT_VERSION:
            raise CommandError(f"Unsupported export format {head.get('format_version')!r}.")
        translations = [r for r in records if r.get("model") == export.TRANSLATION_RECORD]
        records = [r for r in records if r.get("model") != export.TRANSLATION_RECORD]
        with tempfile.TemporaryDirectory() as directory:
            fixture = Path(directory) / "export.json"
            fixture.write_text(export.json.dumps(records, ensure_ascii=False), encoding="utf-8")
            with transaction.atomic():
                call_command("loaddata", str(fixture), verbosity=0)
                export.restore_translations(translations)
        if verbosity:
            self.stdout.write(
                f"Loaded {len(records)} records from {head.get('source')}. "
                f"Follow the changes from: {head.get('changes_cursor')}"
            )
