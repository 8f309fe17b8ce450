"""Readable differences between recorded versions, and bringing an earlier version back."""

from django.db import transaction

from .models import Proposal, Status, TransitionRefused
from .snapshots import apply, snapshot, word_diff

NOT_COMPARED = {"version", "updated"}


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
    """Bring back the text and links of `record`: at once on a draft; as a proposed change
    (returned) on a live item, which keeps its approved text until a reviewer approves."""
    model = record.instance_type
    old = record.instance
    with transaction.atomic():
        # Locked so a concurrent editor's save waits, then finds the version moved on.
        current = model._default_manager.select_for_update().get(pk=old.pk)
        data = snapshot(current)
        for field in model._meta.concrete_fields:
            if field.attname in data["fields"]:
                data["fields"][field.attname] = field.value_to_string(old)
        for field in record._history_m2m_fields:
            through = getattr(record, field.name).model
            target = through._meta.get_field(field.m2m_reverse_field_name()).attname
            data["many"][field.name] = sorted(
                getattr(record, field.name).values_list(target, flat=True)
            )
        reason = f"Reverted to the version of {record.history_date:%Y-%m-%d %H:%M}"
        if current.status == Status.PUBLISHED:
            if Proposal.objects.open().of(current).exists():
                raise TransitionRefused(
                    "This page already has a proposed change: finish or withdraw it first."
                )
            return Proposal.objects.create(
                item=current, base_version=current.version, data=data, summary=reason, author=user
            )
        apply(current, data)
        current.save_as(user, reason)
    return None
