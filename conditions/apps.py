from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_editorial_roles(**kwargs):
    # Every migrated database gets the Editors and Medical reviewers groups, so an operator
    # never has to remember a separate set-up step.
    from .roles import setup_roles

    setup_roles()


class ConditionsConfig(AppConfig):
    name = "conditions"
    verbose_name = "Content"

    def ready(self):
        from . import signals

        signals.connect()
        post_migrate.connect(create_editorial_roles, sender=self)
