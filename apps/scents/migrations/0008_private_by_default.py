"""Scenes become private unless shared on purpose (issue 19), and the five cost tiers get rows.

Existing scenes: nothing recorded whether an owner chose "public" or only left the old
"Private" box unticked (public was the default), so every existing scene becomes private; the
owner loses nothing (the scene, its recipes and feedback stay; one click shares it again). The
demo account's scenes stay shared: the demo loader publishes them on purpose.
"""
from django.db import migrations

DEMO_USERNAME = "demo-perfumer"  # apps.scents.demo.DEMO_USERNAME, frozen here


def forwards(apps, schema_editor):
    Scene = apps.get_model("scents", "Scene")
    CostTier = apps.get_model("scents", "CostTier")
    Scene.objects.exclude(owner__username=DEMO_USERNAME).update(is_private=True)
    for tier in range(1, 6):
        CostTier.objects.get_or_create(tier=tier)


class Migration(migrations.Migration):

    dependencies = [
        ("scents", "0007_versions_privacy_cost_tiers"),
    ]

    # Backwards: the schema goes back; which scenes were public before cannot be told apart.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
