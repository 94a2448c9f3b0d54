import factory

from apps.movies.models import Genre, Movie, Review
from tests.factories import UserFactory


class GenreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Genre
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Genre {n}")
    slug = factory.LazyAttribute(lambda g: g.name.lower().replace(" ", "-"))


class MovieFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Movie
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Movie {n}")
    plot = "A film about things happening."
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def genres(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.genres.set(extracted)


class ReviewFactory(factory.django.DjangoModelFactory):
    """An unscored review row (tests that need the AI fields go through review_create)."""

    class Meta:
        model = Review

    movie = factory.SubFactory(MovieFactory)
    author = factory.SubFactory(UserFactory)
    text = "A fine film."
