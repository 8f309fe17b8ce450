"""The real content for browser tests of the public pages."""

import importlib

from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command

PATTERN_MIGRATIONS = {
    "0002_seed_neuropathy_patterns": "seed_patterns",
    "0006_motor_and_plexus_patterns": "add_patterns",
}


def seed_patterns():
    """Put back (idempotently) the neuropathy patterns the migrations seed: a transactional test
    flushes every table, those rows included."""
    for migration, function in PATTERN_MIGRATIONS.items():
        module = importlib.import_module(f"conditions.migrations.{migration}")
        getattr(module, function)(apps, None)


def load_real_content():
    seed_patterns()
    cache.clear()
    call_command("load_content", verbosity=0)
