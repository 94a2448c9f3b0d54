import hashlib

import factory
import numpy as np

from apps.scents.models import Scene
from tests.factories import UserFactory


def unit_vector(text: str):
    seed = int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:8], 16)
    vec = np.random.default_rng(seed).normal(size=384)
    return (vec / np.linalg.norm(vec)).tolist()


class SceneFactory(factory.django.DjangoModelFactory):
    """A scene row without calling the encoder (use services.scene_create for a real embedding)."""

    class Meta:
        model = Scene

    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Scene {n}")
    description = factory.Sequence(lambda n: f"Rain falls on a neon street at night, take {n}")
    embedding = factory.LazyAttribute(lambda s: unit_vector(s.description))
    embedding_model = "test-hash"
