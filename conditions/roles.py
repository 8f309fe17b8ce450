"""The editorial roles: Editors draft and submit, Medical reviewers review, publish and archive."""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

EDITORS = "Editors"
MEDICAL_REVIEWERS = "Medical reviewers"

# Content models editors write; reviewers may do everything editors may.
EDITABLE_MODELS = [
    "condition",
    "mechanism",
    "alias",
    "conditionmechanism",
    "reference",
    "clinicalcode",
    "symptom",
]
VIEW_ONLY_MODELS = ["neuropathypattern"]

ROLE_PERMISSIONS = {
    EDITORS: [
        *(f"{action}_{model}" for model in EDITABLE_MODELS for action in ("add", "change", "view")),
        *(f"view_{model}" for model in VIEW_ONLY_MODELS),
    ],
    MEDICAL_REVIEWERS: [
        *(
            f"{action}_{model}"
            for model in EDITABLE_MODELS
            for action in ("add", "change", "view", "delete")
        ),
        *(f"view_{model}" for model in VIEW_ONLY_MODELS),
        "publish_condition",
        "publish_mechanism",
    ],
}


def setup_roles():
    """The groups, each with exactly the permissions listed above."""
    # Permissions are normally created after `migrate`; make sure they exist even if not.
    create_permissions(apps.get_app_config("conditions"), verbosity=0)
    groups = {}
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="conditions", codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise LookupError(f"Unknown permissions: {', '.join(sorted(missing))}")
        group.permissions.set(permissions)
        groups[name] = group
    return groups
