"""Readable differences between recorded versions, and bringing an earlier version back."""

import difflib
import re

from django.db import transaction
from django.utils.html import format_html_join

# Editorial state is not content: a revert never publishes, unpublishes or re-dates an item.
NOT_REVERTED = {
    "id",
    "status",
    "last_reviewed",
    "next_review_due",
    "reviewer",
    "version",
    "created",
    "updated",
}
NOT_COMPARED = {"version", "updated"}
_WORDS = re.compile(r"\s+|[^\s]+")


def word_diff(old, new):
    """HTML of `new` against `old`, word by word, with <del> and <ins> (all text escaped)."""
    old_words, new_words = _WORDS.findall(old or ""), _WORDS.findall(new or "")
    parts = []
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    for op, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if op in {"replace", "delete"}:
            parts.append(("del", "".join(old_words[old_start:old_end])))
        if op in {"replace", "insert"}:
            parts.append(("ins", "".join(new_words[new_start:new_end])))
        if op == "equal":
            parts.append(("span", "".join(old_words[old_start:old_end])))
    return format_html_join("", "<{0}>{1}</{0}>", parts)


def _related_names(model, ids):
    return sorted(str(obj) for obj in model._default_manager.filter(pk__in=ids))


def describe_changes(record, older):
    """[{field, label, diff?, added?, removed?, old?, new?}] for each field that changed."""
    model = record.instance_type
    if older is None:
        return []
    delta = record.diff_against(older)
    changes = []
    for change in delta.changes:
        if change.field in NOT_COMPARED:
            continue
        field = model._meta.get_field(change.field)
        entry = {"field": change.field, "label": field.verbose_name.capitalize()}
        if field.many_to_many:
            target = field.m2m_reverse_field_name()
            old_ids = {row[target] for row in change.old}
            new_ids = {row[target] for row in change.new}
            entry["added"] = _related_names(field.related_model, new_ids - old_ids)
            entry["removed"] = _related_names(field.related_model, old_ids - new_ids)
        elif isinstance(change.old, str) and isinstance(change.new, str):
            entry["diff"] = word_diff(change.old, change.new)
        else:
            entry["old"], entry["new"] = change.old, change.new
        changes.append(entry)
    return changes


def revert(record, user):
    """Save the text and links of `record` as the newest version of its item."""
    model = record.instance_type
    old = record.instance
    with transaction.atomic():
        # Locked so a concurrent editor's save waits, then finds the version moved on.
        current = model._default_manager.select_for_update().get(pk=old.pk)
        for field in model._meta.concrete_fields:
            if field.name not in NOT_REVERTED:
                setattr(current, field.attname, getattr(old, field.attname))
        current._history_user = user
        current._change_reason = f"Reverted to the version of {record.history_date:%Y-%m-%d %H:%M}"
        current.save()
        for field in record._history_m2m_fields:
            through = getattr(record, field.name).model
            target = through._meta.get_field(field.m2m_reverse_field_name()).attname
            ids = getattr(record, field.name).values_list(target, flat=True)
            getattr(current, field.name).set(list(ids))
    return current
