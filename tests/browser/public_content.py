"""The real content for browser tests of the public pages."""

import importlib

from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command

seed_migration = importlib.import_module("conditions.migrations.0002_seed_neuropathy_patterns")


def load_real_content():
    # A transactional test flushes every table, including the neuropathy patterns migration 0002
    # seeds; put them back (idempotently) before loading the fixtures that refer to them.
    seed_migration.seed_patterns(apps, None)
    cache.clear()
    call_command("load_content", verbosity=0)
