"""Every change to content bumps the content version (see conditions.cache)."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from . import models
from .cache import bump_content_version

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
]


def content_changed(**kwargs):
    bump_content_version()
    # Bump again once the transaction commits: another server may have rebuilt its index from
    # the not-yet-committed state in between, and must not keep it.
    transaction.on_commit(bump_content_version)


def connect():
    for model in CONTENT_MODELS:
        uid = f"content-version-{model._meta.label_lower}"
        post_save.connect(content_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"{uid}-delete")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                content_changed,
                sender=through,
                dispatch_uid=f"content-version-{through._meta.label_lower}",
            )
