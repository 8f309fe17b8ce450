"""Content already live when the log began gets a "published" row, so taking it off the
site later leaves a tombstone a mirror can act on."""

from django.db import migrations
from django.urls import reverse

PAGES = [
    ("condition", "conditions:condition-detail", "name"),
    ("mechanism", "conditions:mechanism-detail", "name"),
    ("symptom", "conditions:symptom-detail", "name"),
]


def seed(apps, schema_editor):
    Change = apps.get_model("changes", "Change")
    using = schema_editor.connection.alias
    for model_name, url_name, title_field in PAGES:
        model = apps.get_model("conditions", model_name)
        for item in model.objects.using(using).filter(status="published").order_by("pk"):
            Change.objects.using(using).create(
                item_type=model_name,
                object_id=item.pk,
                slug=item.slug,
                title=getattr(item, title_field)[:200],
                action="published",
                summary="First published",
                page_path=reverse(url_name, kwargs={"slug": item.slug}),
                item_version=item.version,
                at=item.updated,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("changes", "0001_initial"),
        ("conditions", "0010_content_baselines"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
