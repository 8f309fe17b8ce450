"""Content tells the site cache when it changes; the cache decides what that means."""

from django.db.models.signals import m2m_changed, post_delete, post_save

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


def _saved_or_deleted(sender, using, **kwargs):
    content_changed(using)


def _relations_changed(sender, action, using, **kwargs):
    if action.startswith("post_"):
        content_changed(using)


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
