"""Loading the translators' files (fixtures/<language>/*.json) into the translated columns.

Each file maps an item's English key to its translated fields; a field left out is not
translated. An item's translation is recorded the way the English fixtures ship content:
published without a review (nobody is named as having reviewed it), against the English
version it was written for, so a reviewer sees it go out of date when the English moves on.
A translation that breaks the publishing rules (a needed text missing, too hard to read)
loads as a draft, and the command says which.
"""

import json
from pathlib import Path

from django.db.models import Q

from conditions.models import (
    Alias,
    Condition,
    ConditionMechanism,
    GlossaryTerm,
    Mechanism,
    NeuropathyPattern,
    Symptom,
)
from editorial.models import Translation, translated_field_names, translation_problems

# file name → the model whose items it translates (keyed by their English slug).
ITEM_FILES = {
    "conditions.json": Condition,
    "mechanisms.json": Mechanism,
    "symptoms.json": Symptom,
    "glossary.json": GlossaryTerm,
    "patterns.json": NeuropathyPattern,
}
REVIEWED_MODELS = (Condition, Mechanism, Symptom, GlossaryTerm)
# "spanish_sources": [{"url", "title"}] in the translators' files.
SOURCES_KEY_PREFIX = "spanish"


def _read(directory, name):
    path = Path(directory) / name
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def _english(model, slug):
    if not any(field.name == "slug_en" for field in model._meta.fields):
        # The slug is not translated (patterns): it is the one key.
        return model._default_manager.filter(slug=slug).first()
    return model._default_manager.filter(Q(slug_en=slug) | Q(slug=slug)).first()


def load_translations(directory, language, overwrite=False):
    """Load one language's files; returns (items loaded, [messages for the editor])."""
    loaded, messages = 0, []
    for name, model in ITEM_FILES.items():
        for slug, fields in _read(directory, name).items():
            item = _english(model, slug)
            if item is None:
                messages.append(f"{name}: no item “{slug}”; skipped.")
                continue
            translation = None
            if model in REVIEWED_MODELS:
                translation = Translation.objects.of(item, language).first()
                if translation is not None and translation.is_reviewed and not overwrite:
                    # A reviewer approved what is there: the files do not replace their work.
                    continue
            translated = set(translated_field_names(item))
            values = {
                f"{field}_{language}": value
                for field, value in fields.items()
                if field in translated and isinstance(value, str)
            }
            # Only what differs: reloading unchanged files changes (and logs) nothing.
            values = {
                attname: value
                for attname, value in values.items()
                if (getattr(item, attname) or "") != value
            }
            if not values:
                continue
            # Not a change of the English item: its version (and history) stay as they are.
            model._default_manager.filter(pk=item.pk).update(**values)
            for attname, value in values.items():
                setattr(item, attname, value)
            loaded += 1
            if model in REVIEWED_MODELS:
                sources = fields.get(f"{SOURCES_KEY_PREFIX}_sources", [])
                messages += _record(item, language, translation, sources)
    for slug, aliases in _read(directory, "aliases.json").items():
        condition = _english(Condition, slug)
        if condition is None:
            messages.append(f"aliases.json: no condition “{slug}”; skipped.")
            continue
        for alias in aliases:
            flags = {
                "is_abbreviation": bool(alias.get("is_abbreviation")),
                "is_subtype": bool(alias.get("is_subtype")),
            }
            row, created = Alias.objects.get_or_create(
                condition=condition, name=alias["name"], language=language, defaults=flags
            )
            # Saved only when it differs: an unchanged alias is no change of its condition.
            if not created and any(getattr(row, key) != value for key, value in flags.items()):
                for key, value in flags.items():
                    setattr(row, key, value)
                row.save()
    for pair, note in _read(directory, "condition_mechanisms.json").items():
        condition_slug, _, mechanism_slug = pair.partition("/")
        links = ConditionMechanism.objects.filter(
            condition__slug_en=condition_slug, mechanism__slug_en=mechanism_slug
        )
        if not links.update(**{f"note_{language}": note}):
            messages.append(f"condition_mechanisms.json: no link “{pair}”; skipped.")
    return loaded, messages


def _record(item, language, translation, sources=()):
    problems = translation_problems(item, language)
    status = Translation.Status.DRAFT if problems else Translation.Status.PUBLISHED
    if translation is None:
        translation = Translation(item=item, language=language, source_version=item.version)
    translation.status = status
    translation.source_version = item.version
    translation.sources = [
        {"url": source.get("url", ""), "title": source.get("title", "")}
        for source in sources
        if isinstance(source, dict) and source.get("url")
    ]
    translation.reviewed_by, translation.reviewed_on = None, None
    translation.save()
    if problems:
        label = f"{item._meta.verbose_name} {item.slug_en}"
        return [f"{label} ({language}) loaded as a draft: {' '.join(problems)}"]
    return []
