"""Content tells the site cache when it changes, and the change log what became of a page."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from changes import log as change_log
from sitecache.version import content_changed

from . import models

CONTENT_MODELS = [
    models.Condition,
    models.Mechanism,
    models.Symptom,
    models.Reference,
    models.ClinicalCode,
    models.Alias,
    models.ConditionMechanism,
    models.NeuropathyPattern,
    models.GlossaryTerm,
    models.Treatment,
    models.ConditionTreatment,
]


# Rows edited with a condition: a change to one is a change to the condition's page.
CHILD_MODELS = [models.Alias, models.ConditionMechanism, models.ConditionTreatment]


def _saved_or_deleted(sender, using, **kwargs):
    content_changed(using)


def _relations_changed(sender, action, using, instance, **kwargs):
    if action.startswith("post_"):
        content_changed(using)
        if type(instance) in models.PAGE_MODELS:
            change_log.record(instance, using=using)


def _page_saved(sender, instance, using, raw=False, **kwargs):
    change_log.record(instance, using=using, raw=raw)


def _page_deleted(sender, instance, using, **kwargs):
    change_log.record_deleted(instance, using=using)


def _child_saved_or_deleted(sender, instance, using, raw=False, **kwargs):
    # loaddata re-saves every child of every record it loads: its own rows say what changed.
    if raw:
        return
    condition = models.Condition._base_manager.using(using).filter(pk=instance.condition_id)
    for parent in condition:
        change_log.record(parent, using=using)


def connect():
    for model in CONTENT_MODELS:
        uid = f"content-changed-{model._meta.label_lower}"
        post_save.connect(_saved_or_deleted, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_saved_or_deleted, sender=model, dispatch_uid=f"{uid}-delete")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                _relations_changed,
                sender=through,
                dispatch_uid=f"content-changed-{through._meta.label_lower}",
            )
    for model in models.PAGE_MODELS:
        uid = f"change-log-{model._meta.label_lower}"
        post_save.connect(_page_saved, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_page_deleted, sender=model, dispatch_uid=f"{uid}-delete")
    for model in CHILD_MODELS:
        uid = f"change-log-{model._meta.label_lower}"
        post_save.connect(_child_saved_or_deleted, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_child_saved_or_deleted, sender=model, dispatch_uid=f"{uid}-delete")
