"""An item's content as plain data: taken from the live rows or from an admin form, written
back to the live rows, and compared in words.

The data is {"fields": {attname: text}, "many": {name: [primary keys]},
"children": {related name: [{attname: text}]}}: every content field of the item (not its
workflow fields), its many-to-many choices, and the rows edited with it (its inlines).
"""

import difflib
import re

from django.conf import settings
from django.db import models
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst

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


def _content_fields(model, exclude=()):
    # A translated field's default-language column (summary_en) holds the same text as the
    # field itself (summary): it is compared once, under the field's own name.
    default_columns = {f"{name}_{settings.LANGUAGE_CODE}" for name in _translated_names(model)}
    return [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key
        and field.name not in exclude
        and field.name not in default_columns
        and field.name not in getattr(model, "WORKFLOW_FIELDS", ())
    ]


def _translated_names(model):
    from modeltranslation.translator import NotRegistered, translator

    try:
        return translator.get_options_for_model(model).fields
    except NotRegistered:
        return ()


def _parent_link(child_model, parent_model):
    return next(
        field
        for field in child_model._meta.concrete_fields
        if field.is_relation and field.related_model is parent_model
    )


def _identity(child_model, parent_link):
    """The fields that name a child row among its parent's (its unique constraint's others)."""
    for constraint in child_model._meta.constraints:
        if (
            isinstance(constraint, models.UniqueConstraint)
            and parent_link.name in constraint.fields
        ):
            return [name for name in constraint.fields if name != parent_link.name]
    raise LookupError(f"{child_model.__name__} has no unique constraint with its parent.")


def _values(obj, fields):
    # An empty translated column is NULL until written and "" once a form saved it: the same.
    return {
        field.attname: "" if field.value_from_object(obj) is None else field.value_to_string(obj)
        for field in fields
    }


def _child_model(model, related_name):
    return model._meta.get_field(related_name).related_model


def snapshot(item, many=None, children=None):
    """The item's content as data. Without `many`/`children`, as the live rows hold them.

    `many` maps a many-to-many name to the chosen objects; `children` maps a related name to
    (unsaved) child instances: what an admin form submitted.
    """
    model = type(item)
    many = (
        many
        if many is not None
        else {field.name: getattr(item, field.name).all() for field in model._meta.many_to_many}
    )
    if children is None:
        children = {name: getattr(item, name).all() for name in model.PROPOSAL_CHILDREN}
    data = {
        "fields": _values(item, _content_fields(model)),
        "many": {name: sorted(obj.pk for obj in chosen) for name, chosen in many.items()},
        "children": {},
    }
    for name, rows in children.items():
        child_model = _child_model(model, name)
        fields = _content_fields(child_model, exclude={_parent_link(child_model, model).name})
        data["children"][name] = [_values(row, fields) for row in rows]
    return data


def apply(item, data):
    """Write the data to the live item and its rows (the caller saves the item afterwards).

    Many-to-many changes are written without history records of their own, so the item's
    save records the whole change as one version.
    """
    model = type(item)
    for attname, text in data["fields"].items():
        field = model._meta.get_field(attname)
        setattr(item, field.attname, field.to_python(text))
    item.skip_history_when_saving = True
    try:
        for name, pks in data["many"].items():
            getattr(item, name).set(pks)
    finally:
        del item.skip_history_when_saving
    for name, rows in data["children"].items():
        _apply_children(item, name, rows)


def _apply_children(item, related_name, rows):
    child_model = _child_model(type(item), related_name)
    link = _parent_link(child_model, type(item))
    identity = [child_model._meta.get_field(name).attname for name in _identity(child_model, link)]
    existing = {
        tuple(str(getattr(child, attname)) for attname in identity): child
        for child in getattr(item, related_name).all()
    }
    kept = set()
    for row in rows:
        key = tuple(row[attname] for attname in identity)
        child = existing.get(key) or child_model(**{link.attname: item.pk})
        changed = child.pk is None
        for attname, text in row.items():
            field = child_model._meta.get_field(attname)
            value = field.to_python(text)
            if getattr(child, field.attname) != value:
                setattr(child, field.attname, value)
                changed = True
        if changed:
            child.save()
        kept.add(key)
    for key, child in existing.items():
        if key not in kept:
            child.delete()


# --- in words ---------------------------------------------------------------------------------


def _display(field, text):
    """A stored value as a reviewer reads it."""
    value = field.to_python(text) if text not in (None, "") else None
    if value in (None, ""):
        return "(empty)"
    if field.is_relation:
        return str(field.related_model._default_manager.filter(pk=value).first() or value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def _field_change(field, old, new):
    label = capfirst(field.verbose_name)
    if isinstance(field, (models.TextField, models.CharField)) and not field.choices:
        return {"label": label, "diff": word_diff(old or "", new or "")}
    return {"label": label, "old": _display(field, old), "new": _display(field, new)}


def changes(model, old, new):
    """[{label, diff | old/new | added/removed}] for what differs between two snapshots."""
    found = []
    for attname, text in new["fields"].items():
        before = old["fields"].get(attname)
        if before != text:
            found.append(_field_change(model._meta.get_field(attname), before, text))
    for name, pks in new["many"].items():
        before = set(old["many"].get(name, []))
        field = model._meta.get_field(name)
        added, removed = set(pks) - before, before - set(pks)
        if added or removed:
            names = {
                obj.pk: str(obj)
                for obj in field.related_model._default_manager.filter(pk__in=added | removed)
            }
            found.append(
                {
                    "label": capfirst(field.verbose_name),
                    "added": sorted(names.get(pk, str(pk)) for pk in added),
                    "removed": sorted(names.get(pk, str(pk)) for pk in removed),
                }
            )
    for name, rows in new["children"].items():
        found += _child_changes(model, name, old["children"].get(name, []), rows)
    return found


def _describe_row(child_model, row):
    parts = []
    for attname, text in row.items():
        field = child_model._meta.get_field(attname)
        if text not in ("", None):
            parts.append(f"{capfirst(field.verbose_name)}: {_display(field, text)}")
    return "; ".join(parts)


def _child_changes(model, related_name, old_rows, new_rows):
    child_model = _child_model(model, related_name)
    link = _parent_link(child_model, model)
    identity = [child_model._meta.get_field(name).attname for name in _identity(child_model, link)]
    label = capfirst(child_model._meta.verbose_name_plural)

    def key(row):
        return tuple(row[attname] for attname in identity)

    before = {key(row): row for row in old_rows}
    after = {key(row): row for row in new_rows}
    found = []
    added = [_describe_row(child_model, after[k]) for k in after if k not in before]
    removed = [_describe_row(child_model, before[k]) for k in before if k not in after]
    if added or removed:
        found.append({"label": label, "added": added, "removed": removed})
    for k in after.keys() & before.keys():
        for attname, text in after[k].items():
            if before[k].get(attname) != text:
                field = child_model._meta.get_field(attname)
                change = _field_change(field, before[k].get(attname), text)
                named = _describe_row(child_model, {a: after[k][a] for a in identity})
                change["label"] = format_html("{} ({}): {}", label, named, change["label"])
                found.append(change)
    return found
