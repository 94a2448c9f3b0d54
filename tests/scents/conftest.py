import pytest

from apps.scents.services import ingredient_master_load


@pytest.fixture
def master(db):
    """The curated master in the DB. The data migration loads it, but transactional tests flush
    tables afterwards, so every test that needs ingredients asks for this (idempotent) fixture."""
    ingredient_master_load()
