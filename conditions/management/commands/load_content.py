"""Load every content fixture in fixtures/, in file-name order, as one transaction."""

from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, call_command

from conditions.models import Condition


def content_fixture_paths():
    return sorted(
        str(path) for directory in settings.FIXTURE_DIRS for path in Path(directory).glob("*.json")
    )


class Command(BaseCommand):
    help = "Load the portal's content fixtures (re-loading updates rows, never duplicates them)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds content.",
        )

    def handle(self, *args, if_empty=False, verbosity=1, **options):
        if if_empty and Condition.objects.exists():
            if verbosity:
                self.stdout.write("Content already loaded; leaving it as it is.")
            return
        # One loaddata call is one transaction, and it resolves natural keys across files.
        call_command("loaddata", *content_fixture_paths(), verbosity=verbosity)
