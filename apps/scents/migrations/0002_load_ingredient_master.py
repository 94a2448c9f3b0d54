"""Data migration: load the curated ingredient master (apps/scents/data/ingredients.json).

Idempotent (upsert by name); `manage.py scents_load_ingredients` re-runs it after the file changes.
"""
from django.db import migrations


def load(apps, schema_editor):
    from apps.scents.services import ingredient_master_load

    ingredient_master_load(apps_registry=apps)


class Migration(migrations.Migration):
    dependencies = [("scents", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
