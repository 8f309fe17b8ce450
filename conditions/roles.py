"""The editorial roles: Editors draft and propose changes; Medical reviewers also review,
publish, approve and archive. Re-applied after every migrate (apps.py)."""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

EDITORS = "Editors"
MEDICAL_REVIEWERS = "Medical reviewers"

# Reviewed content: editors add and change it (a live item's change is a proposal).
REVIEWED_MODELS = ["condition", "mechanism", "symptom", "glossaryterm", "treatment"]
# Rows edited with a condition (its inlines) and shared rows (references and codes).
EDITED_WITH_CONTENT = ["alias", "conditionmechanism", "conditiontreatment"]
SHARED_MODELS = ["reference", "clinicalcode"]
VIEW_ONLY_MODELS = ["neuropathypattern", "searchtally"]


def _crud(models, actions):
    return [f"{action}_{model}" for model in models for action in actions]


ROLE_PERMISSIONS = {
    EDITORS: {
        "conditions": [
            *_crud(REVIEWED_MODELS + SHARED_MODELS, ("add", "change", "view")),
            *_crud(EDITED_WITH_CONTENT, ("add", "change", "delete", "view")),
            *_crud(VIEW_ONLY_MODELS, ("view",)),
        ],
        # Editors start a translation's record; approving it is a reviewer's (the model says).
        "editorial": ["view_proposal", "view_reviewer", "add_translation", "view_translation"],
    },
    MEDICAL_REVIEWERS: {
        "conditions": [
            *_crud(
                REVIEWED_MODELS + SHARED_MODELS + EDITED_WITH_CONTENT,
                ("add", "change", "delete", "view"),
            ),
            *_crud(VIEW_ONLY_MODELS, ("view",)),
            *(f"publish_{model}" for model in REVIEWED_MODELS),
        ],
        "editorial": [
            "view_proposal",
            "add_reviewer",
            "change_reviewer",
            "view_reviewer",
            "add_translation",
            "change_translation",
            "view_translation",
        ],
    },
}


def setup_roles():
    """The groups, each with exactly the permissions listed above."""
    # Permissions are normally created after `migrate`; make sure they exist even if not.
    for app_label in ("conditions", "editorial"):
        create_permissions(apps.get_app_config(app_label), verbosity=0)
    groups = {}
    for name, by_app in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = Q(pk__in=[])
        for app_label, codenames in by_app.items():
            wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
        permissions = Permission.objects.filter(wanted)
        found = set(permissions.values_list("content_type__app_label", "codename"))
        missing = {
            f"{app_label}.{codename}"
            for app_label, codenames in by_app.items()
            for codename in codenames
            if (app_label, codename) not in found
        }
        if missing:
            raise LookupError(f"Unknown permissions: {', '.join(sorted(missing))}")
        group.permissions.set(permissions)
        groups[name] = group
    return groups
