"""Reviews get a third outcome, "none" (no opinion found, no rating), and P(opinion).

Stored ratings are moved to their label's side of 5 (the rule ``apps.movies.scoring.rating_agreeing``
applies to every new score): a positive review never rates below 5, a negative one never above.
Finding the reviews without an opinion needs the detector, so that is the re-score job's work
(admin action "Re-score", or ``POST /api/movies/reviews/rescore/ {"all": true}``), not a migration's.
"""
from decimal import Decimal

import django.core.validators
from django.db import migrations, models

FIVE = Decimal("5.0")


def ratings_agree_with_labels(apps, schema_editor):
    Review = apps.get_model("movies", "Review")
    Review.objects.filter(sentiment="positive", ai_rating__lt=FIVE).update(ai_rating=FIVE)
    Review.objects.filter(sentiment="negative", ai_rating__gt=FIVE).update(ai_rating=FIVE)


class Migration(migrations.Migration):

    dependencies = [
        ('movies', '0004_state_read_from_job'),
    ]

    operations = [
        migrations.AddField(
            model_name='review',
            name='p_opinion',
            field=models.FloatField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(0.0), django.core.validators.MaxValueValidator(1.0)]),
        ),
        migrations.AlterField(
            model_name='review',
            name='sentiment',
            field=models.CharField(blank=True, choices=[('positive', 'Positive'), ('negative', 'Negative'), ('none', 'No opinion found')], default='', max_length=10),
        ),
        # Not undone: the old ratings are not kept, and the clamped ones are valid for the old code.
        migrations.RunPython(ratings_agree_with_labels, migrations.RunPython.noop),
    ]
