"""A review is a date and a named reviewer: the date field keeps its data under its new name.

The two constraints that name the old field go first (0009 adds their new forms), so SQLite can
rebuild the tables.
"""

from django.db import migrations

MODELS = ("condition", "mechanism")


class Migration(migrations.Migration):
    dependencies = [("conditions", "0007_section_headings")]

    operations = [
        *(
            migrations.RemoveConstraint(model_name=model, name=f"conditions_{model}_{name}")
            for model in MODELS
            for name in ("published_is_complete", "review_due_after_reviewed")
        ),
        *(
            migrations.RenameField(
                model_name=model, old_name="last_reviewed", new_name="reviewed_on"
            )
            for model in (*MODELS, *(f"historical{model}" for model in MODELS))
        ),
    ]
