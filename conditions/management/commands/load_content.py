"""Load every content fixture in fixtures/, in file-name order, as one transaction."""

import json
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management import BaseCommand, CommandError, call_command
from django.db import transaction

from conditions.models import Condition


def content_fixture_paths():
    return sorted(
        str(path) for directory in settings.FIXTURE_DIRS for path in Path(directory).glob("*.json")
    )


def record_label(record):
    """How an editor finds the record: its model and slug (or name), else its fields."""
    fields = record.get("fields", {})
    key = fields.get("slug") or fields.get("name") or json.dumps(fields, ensure_ascii=False)
    return f"{record.get('model', '?')} {str(key)[:120]}"


def find_bad_record(paths):
    """Replay the fixtures one record at a time (rolled back) and describe the first that fails.

    loaddata's own errors name the file but, with natural keys, not the record (pk=None).
    """
    with transaction.atomic():
        try:
            for path in paths:
                name = Path(path).name
                try:
                    records = json.loads(Path(path).read_text(encoding="utf-8"))
                except ValueError as error:
                    return f"{name} is not valid JSON: {error}"
                deferred = []
                for position, record in enumerate(records, start=1):
                    try:
                        with transaction.atomic():
                            for obj in serializers.deserialize(
                                "json", json.dumps([record]), handle_forward_references=True
                            ):
                                obj.save()
                                if obj.deferred_fields:
                                    deferred.append(obj)
                    except Exception as error:
                        return f"{name}, record {position} ({record_label(record)}): {error}"
                for obj in deferred:
                    obj.save_deferred_fields()
        finally:
            transaction.set_rollback(True)
    return None


class Command(BaseCommand):
    help = "Load the portal's content fixtures (re-loading updates rows, never duplicates them)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds content.",
        )

    def handle(self, *args, if_empty=False, verbosity=1, **options):
        if if_empty and Condition.objects.exists():
            if verbosity:
                self.stdout.write("Content already loaded; leaving it as it is.")
            return
        paths = content_fixture_paths()
        try:
            # One loaddata call is one transaction, and it resolves natural keys across files.
            call_command("loaddata", *paths, verbosity=verbosity)
        except Exception as error:
            # loaddata rolled everything back; say which record to fix.
            bad_record = find_bad_record(paths) or error
            raise CommandError(f"Nothing was loaded. Bad fixture record: {bad_record}") from error
