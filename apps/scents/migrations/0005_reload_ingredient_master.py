"""Data migration: upsert the master again (Fructone and hexyl acetate were added)."""
from django.db import migrations


def load(apps, schema_editor):
    from apps.scents.services import ingredient_master_load

    ingredient_master_load(apps_registry=apps)


class Migration(migrations.Migration):
    dependencies = [("scents", "0004_scene_movie")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
