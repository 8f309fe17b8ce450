"""Two more patterns for the fixed list seeded by 0002.

Multifocal motor neuropathy needs a motor-only, slowly spreading pattern of its own (it is not
mononeuritis multiplex), and neuralgic amyotrophy and the radiculoplexus neuropathies need a
plexus pattern (they were tagged mononeuritis multiplex as a stand-in).
"""

from django.db import migrations

PATTERNS = [
    (
        "multifocal-motor",
        "Multifocal motor (with conduction block)",
        "Weakness in patches, nerve by nerve, with normal feeling",
        "Motor nerves, which move the muscles, fail in patches, often in one hand or arm first. "
        "Signals are blocked at spots along a nerve. Weakness spreads slowly or in steps over "
        "months or years, and feeling stays normal.",
        8,
    ),
    (
        "radiculoplexus",
        "Radiculoplexus neuropathy (plexopathy)",
        "Severe pain in a shoulder, hip or thigh, then weakness",
        "The nerve roots and the network of nerves that serve an arm or a leg (a plexus) are "
        "inflamed. Severe pain in the shoulder, hip or thigh usually comes first. Weakness and "
        "thin muscles follow over days or weeks, often in patches.",
        9,
    ),
]


def add_patterns(apps, schema_editor):
    NeuropathyPattern = apps.get_model("conditions", "NeuropathyPattern")
    for slug, name, plain_name, description, position in PATTERNS:
        NeuropathyPattern.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "plain_name": plain_name,
                "description": description,
                "position": position,
            },
        )


def remove_patterns(apps, schema_editor):
    NeuropathyPattern = apps.get_model("conditions", "NeuropathyPattern")
    NeuropathyPattern.objects.filter(slug__in=[slug for slug, *_ in PATTERNS]).delete()


class Migration(migrations.Migration):
    dependencies = [("conditions", "0005_content_second_edition")]

    operations = [migrations.RunPython(add_patterns, remove_patterns)]
