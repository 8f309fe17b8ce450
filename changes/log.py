"""Writing the change log. Called inside the transaction that changes the item, so a
rolled-back edit leaves no entry.

At most one "updated" row per item per atomic block: an admin save that writes the row, its
many-to-many choices and its inline rows (one `transaction.atomic()`) is one change, not five.
"""

import weakref

from django.db import transaction
from django.utils import timezone

from .models import PUBLIC_ACTIONS, Action, Change

FIRST_LINE = "First published"
DELETED_LINE = "Removed from the site"
UNPUBLISHED_LINE = "Taken off the site"
# Change reasons the editorial transitions record (editorial.models).
APPROVED_PREFIX = "Approved change: "
REVIEW_REASONS = ("Published", "Reviewed", APPROVED_PREFIX)


def item_language(item):
    """The language an item is written in: its `language` field when it has one, else English.

    The one place a second language is taught to the log.
    """
    return getattr(item, "language", None) or "en"


class _Transaction:
    """Marks one transaction: its on-commit callback is this object's `done`."""

    def __init__(self):
        self.updated = {}  # savepoint id (None for the transaction itself) → item keys

    def done(self):
        pass


_open = weakref.WeakKeyDictionary()  # connection → _Transaction of its open transaction


def _updated_in_this_block(using):
    """The items given an "updated" row in the current atomic block (a fresh set outside one)."""
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        return set()
    current = _open.get(connection)
    pending = [callback for _, callback, _ in connection.run_on_commit]
    if current is None or current.done not in pending:
        # Django empties run_on_commit when a transaction commits or rolls back: a new one.
        current = _open[connection] = _Transaction()
        transaction.on_commit(current.done, using=using)
    # The innermost real savepoint: atomic(savepoint=False), as Model.save and m2m add use,
    # pushes a None.
    savepoint = next((sid for sid in reversed(connection.savepoint_ids) if sid), None)
    return current.updated.setdefault(savepoint, set())


def _latest(item, using):
    return (
        Change.objects.using(using)
        .filter(item_type=item._meta.model_name, object_id=item.pk)
        .order_by("-pk")
        .first()
    )


def _summary(item, action):
    if action == Action.PUBLISHED:
        return FIRST_LINE
    if action == Action.DELETED:
        return DELETED_LINE
    if action == Action.UNPUBLISHED:
        return UNPUBLISHED_LINE
    reason = getattr(item, "_change_reason", "") or ""
    if reason.startswith(APPROVED_PREFIX):
        return reason.removeprefix(APPROVED_PREFIX)[:200]
    if reason == "Reviewed":
        return "Checked again by a medical reviewer"
    return "Updated"


def _reviewed_now(item):
    reason = getattr(item, "_change_reason", "") or ""
    return (
        bool(getattr(item, "is_reviewed", False))
        and item.reviewed_on == timezone.localdate()
        and reason.startswith(REVIEW_REASONS)
    )


def _write(item, action, using, previous=None):
    Change.objects.using(using).create(
        item_type=item._meta.model_name,
        object_id=item.pk,
        # A tombstone names the address a mirror holds, not a new one.
        slug=previous.slug if previous else item.slug,
        page_path=previous.page_path if previous else item.get_absolute_url(),
        language=item_language(item),
        title=str(item)[:200],
        action=action,
        summary=_summary(item, action),
        item_version=getattr(item, "version", 0),
        reviewed=action in PUBLIC_ACTIONS and _reviewed_now(item),
    )


def record(item, using="default", raw=False):
    """Log what a save made of the item: published, updated or unpublished; nothing when it
    was not public before and is not now.

    raw: saved by loaddata, which keeps the stored version, so an unchanged version is an
    unchanged item (load_content re-loads records nobody edited).
    """
    latest = _latest(item, using)
    was_public = latest is not None and latest.action in PUBLIC_ACTIONS
    if item.is_published:
        if was_public and latest.slug != item.slug:
            # A new address: the old one is gone for a mirror, the new one appears.
            _write(item, Action.UNPUBLISHED, using, previous=latest)
            was_public = False
        if not was_public:
            _write(item, Action.PUBLISHED, using)
            _updated_in_this_block(using).add(item._meta.label_lower + str(item.pk))
            return
        if raw and latest.item_version == getattr(item, "version", 0):
            return
        updated = _updated_in_this_block(using)
        key = item._meta.label_lower + str(item.pk)
        if key not in updated:
            updated.add(key)
            _write(item, Action.UPDATED, using)
    elif was_public:
        _write(item, Action.UNPUBLISHED, using, previous=latest)


def record_deleted(item, using="default"):
    """A deleted item that was public leaves a tombstone."""
    latest = _latest(item, using)
    if latest is not None and latest.action in PUBLIC_ACTIONS:
        _write(item, Action.DELETED, using, previous=latest)
