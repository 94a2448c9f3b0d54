from django.db import migrations
from pgvector.django import VectorExtension


class Migration(migrations.Migration):
    """The very first migration: every app may use pgvector columns after it."""

    initial = True
    dependencies = []
    run_before = [("accounts", "0001_initial")]
    operations = [VectorExtension()]
