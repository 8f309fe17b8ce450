"""Create (or bring up to date) the editorial groups and their permissions; safe to re-run."""

from django.core.management import BaseCommand

from conditions.roles import setup_roles


class Command(BaseCommand):
    help = "Create the Editors and Medical reviewers groups with their permissions (idempotent)."

    def handle(self, *args, verbosity=1, **options):
        for name, group in setup_roles().items():
            if verbosity:
                self.stdout.write(f"{name}: {group.permissions.count()} permissions")
