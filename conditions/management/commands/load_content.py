"""Load the content fixtures in fixtures/, in file-name order, as one transaction.

Into an empty database everything loads as it is in the files. Into one that holds content,
a record is added if new, updated if nobody edited it since it was loaded (its fields still
match what was loaded, ContentBaseline), and otherwise refused: the command lists the records
editors changed and loads nothing, unless --overwrite is given. Updates are saved like an
editor's (history written, versions moving forward).
"""

import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management import BaseCommand, CommandError, call_command
from django.db import transaction
from django.utils import translation

from conditions.models import (
    Condition,
    ContentBaseline,
    GlossaryTerm,
    Mechanism,
    Reference,
    Symptom,
    Treatment,
)

from ._translations import load_translations

# Set by the database on every save, never what an editor changed.
VOLATILE_FIELDS = {"created", "updated", "version"}
# The fields that name a record in the fixtures (its natural key); "slug" for the others.
RECORD_KEYS = {
    "conditions.clinicalcode": ["system", "code"],
    "conditions.alias": ["name", "condition"],
    "conditions.conditionmechanism": ["condition", "mechanism"],
    "conditions.conditiontreatment": ["condition", "treatment"],
}
LOAD_REASON = "Loaded from the content fixtures"


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
                            for obj in _deserialize(record):
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


def record_key(record):
    """(model, natural key) of a fixture record, read off the record itself."""
    names = RECORD_KEYS.get(record["model"], ["slug"])
    return record["model"], json.dumps([record["fields"][name] for name in names])


def _deserialize(record):
    return serializers.deserialize("json", json.dumps([record]), handle_forward_references=True)


def _comparable(fields):
    """The fields that hold content, with many-to-many lists in one order."""
    return {
        name: sorted(value, key=json.dumps) if isinstance(value, list) else value
        for name, value in fields.items()
        if name not in VOLATILE_FIELDS
    }


def _digest(fields):
    text = json.dumps(_comparable(fields), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _as_stored(obj, names):
    """The row's fields as a fixture would write them (natural keys), for the given names."""
    stored = json.loads(
        serializers.serialize(
            "json", [obj], use_natural_foreign_keys=True, use_natural_primary_keys=True
        )
    )[0]["fields"]
    return _comparable({name: stored.get(name) for name in names})


class Command(BaseCommand):
    help = (
        "Load the portal's content fixtures. Re-loading adds new records and updates those "
        "nobody edited; it refuses to overwrite editors' work unless --overwrite is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds content.",
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Also replace records editors changed since they were loaded (with history).",
        )

    def handle(self, *args, **options):
        # Natural keys and the plain field names mean the English columns.
        with translation.override(settings.LANGUAGE_CODE):
            self._handle(*args, **options)

    def _handle(self, *args, if_empty=False, overwrite=False, verbosity=1, **options):
        has_content = any(
            model.objects.exists() for model in (Condition, Mechanism, Symptom, Reference)
        )
        if if_empty and has_content:
            if verbosity:
                self.stdout.write("Content already loaded; leaving it as it is.")
            return
        paths = content_fixture_paths()
        records = []
        for path in paths:
            try:
                records += json.loads(Path(path).read_text(encoding="utf-8"))
            except ValueError as error:
                raise CommandError(f"Nothing was loaded. {Path(path).name}: {error}") from error
        try:
            with transaction.atomic():
                if has_content:
                    self._reconcile(records, overwrite, verbosity)
                else:
                    # One loaddata call is one transaction, resolving natural keys across files.
                    call_command("loaddata", *paths, verbosity=verbosity)
                self._check_publication_rules()
                self._remember(records)
                self._load_translations(overwrite, verbosity)
        except CommandError:
            raise
        except Exception as error:
            bad_record = find_bad_record(paths) or error
            raise CommandError(f"Nothing was loaded. Bad fixture record: {bad_record}") from error

    def _reconcile(self, records, overwrite, verbosity):
        baselines = {(b.model, b.natural_key): b.digest for b in ContentBaseline.objects.all()}
        changes, edited = [], []
        for record in records:
            (obj,) = list(_deserialize(record))
            fields = _comparable(record["fields"])
            if obj.object.pk is None:  # a new record (or one whose neighbours are new)
                changes.append(record)
                continue
            key = record_key(record)
            live = type(obj.object)._default_manager.get(pk=obj.object.pk)
            stored = _as_stored(live, fields)
            if stored == fields:
                continue
            if baselines.get(key) == _digest(stored) or overwrite:
                changes.append(record)
            else:
                differing = sorted(name for name in fields if stored[name] != fields[name])
                edited.append(f"{record_label(record)}: {', '.join(differing)}")
        if edited:
            raise CommandError(
                "Nothing was loaded: these records were changed since they were loaded, and "
                "loading would replace that work (use --overwrite to replace it, with history):\n"
                + "\n".join(f"  {line}" for line in edited)
            )
        deferred = []
        for record in changes:
            (obj,) = list(_deserialize(record))
            deferred += self._save(obj, record)
        for obj in deferred:
            obj.save_deferred_fields()
        if verbosity:
            self.stdout.write(f"Added or updated {len(changes)} records.")

    def _save(self, obj, record):
        """Save one fixture record as an editor's save would be: history, a new version."""
        model = type(obj.object)
        if obj.object.pk is None:
            item = obj.object
        else:
            item = model._default_manager.get(pk=obj.object.pk)
            for name in record["fields"]:
                field = model._meta.get_field(name)
                if name not in VOLATILE_FIELDS and not field.many_to_many:
                    setattr(item, field.attname, getattr(obj.object, field.attname))
        item._change_reason = LOAD_REASON
        item.save()
        for name, values in obj.m2m_data.items():
            getattr(item, name).set(values)
        obj.object = item
        return [obj] if obj.deferred_fields else []

    def _load_translations(self, overwrite, verbosity):
        """fixtures/<language>/*.json into each other language's columns (_translations.py)."""
        for language, _ in settings.LANGUAGES:
            for directory in settings.FIXTURE_DIRS:
                if language == settings.LANGUAGE_CODE or not (Path(directory) / language).is_dir():
                    continue
                loaded, messages = load_translations(
                    Path(directory) / language, language, overwrite
                )
                if verbosity:
                    self.stdout.write(f"Loaded {loaded} {language} translations.")
                    for message in messages:
                        self.stdout.write(f"  {message}")

    def _check_publication_rules(self):
        """Published content from fixtures obeys the rules an editor's would (the admin's)."""
        problems = [
            f"{item._meta.label_lower} {item.slug}: {' '.join(item.publication_problems())}"
            for model in (Condition, Mechanism, Symptom, GlossaryTerm, Treatment)
            for item in model.objects.published()
            if item.publication_problems()
        ]
        if problems:
            raise CommandError(
                "Nothing was loaded: published records break the publishing rules:\n"
                + "\n".join(f"  {line}" for line in problems)
            )

    def _remember(self, records):
        ContentBaseline.objects.all().delete()
        ContentBaseline.objects.bulk_create(
            ContentBaseline(model=model, natural_key=key, digest=_digest(record["fields"]))
            for record in records
            for model, key in [record_key(record)]
        )
