"""The fixed list of neuropathy patterns the filters and content refer to by slug."""

from django.db import migrations

PATTERNS = [
    (
        "symmetric-length-dependent",
        "Symmetric length-dependent",
        "Starts in both feet, later the hands (“gloves and socks”)",
        "The longest nerves are hurt first. Numbness or tingling starts in the toes of both "
        "feet and slowly creeps up. Later the fingertips may be affected too.",
    ),
    (
        "mononeuritis-multiplex",
        "Mononeuritis multiplex",
        "Patchy: one nerve at a time, in different places",
        "Separate nerves are hit one after another, often on different sides of the body. "
        "A wrist or foot may suddenly become weak or numb.",
    ),
    (
        "sensory-ganglionopathy",
        "Sensory ganglionopathy",
        "Loss of feeling and balance, often uneven, sometimes in the face or body",
        "The clusters of sensory nerve cells next to the spinal cord are damaged. Feeling and "
        "the sense of where your limbs are can fade, even in the arms before the legs.",
    ),
    (
        "small-fibre",
        "Small-fibre neuropathy",
        "Burning pain or pins and needles, with normal strength",
        "The thinnest nerve fibres, which carry pain and temperature, are damaged. Tests of "
        "the larger nerves can be normal.",
    ),
    (
        "entrapment",
        "Entrapment",
        "A nerve squeezed at a tight spot, such as the wrist",
        "Swollen tissue presses on a nerve where it passes through a narrow space, as in "
        "carpal tunnel syndrome.",
    ),
    (
        "demyelinating-polyradiculoneuropathy",
        "Demyelinating polyradiculoneuropathy",
        "Weakness near and far from the body, from damage to the nerve’s coating",
        "The coating of the nerves and the nerve roots is attacked. Weakness can affect the "
        "hips and shoulders as well as the hands and feet.",
    ),
    (
        "autonomic",
        "Autonomic neuropathy",
        "Problems with automatic body functions",
        "The nerves that run blood pressure, heart rate, sweating, the gut and the bladder "
        "are affected.",
    ),
    (
        "cranial",
        "Cranial neuropathy",
        "Nerves of the face, eyes, mouth or throat",
        "Nerves that come straight from the brain are affected. This can cause double vision, "
        "face weakness or trouble swallowing.",
    ),
]


def seed_patterns(apps, schema_editor):
    NeuropathyPattern = apps.get_model("conditions", "NeuropathyPattern")
    for position, (slug, name, plain_name, description) in enumerate(PATTERNS):
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
    dependencies = [("conditions", "0001_initial")]

    operations = [migrations.RunPython(seed_patterns, remove_patterns)]
