"""python manage.py scents_load_ingredients: upsert the curated master from its JSON file."""

from django.core.management.base import BaseCommand

from apps.scents.services import ingredient_master_load


class Command(BaseCommand):
    help = "Load apps/scents/data/ingredients.json into the Ingredient table (idempotent)."

    def handle(self, *args, **opts):
        self.stdout.write(f"{ingredient_master_load()} ingredients loaded")
