from django import forms

from apps.movies.models import Movie
from apps.scents.ml.text import MAX_DESCRIPTION_CHARS
from apps.scents.ml.vocab import CONCENTRATIONS, GENRES, MOODS, SEASONS, TIMES_OF_DAY, WEATHERS


def _optional(values):
    return [("", "—")] + [(v, v.capitalize()) for v in values]


class SceneForm(forms.Form):
    """Scene input; the service validates it again (it is the single source of the rules)."""

    movie = forms.ModelChoiceField(
        queryset=Movie.objects.order_by("title"), required=False, help_text="Optional: the film this scene is from."
    )
    title = forms.CharField(
        max_length=200, required=False, help_text="Optional; the first words of the description otherwise."
    )
    # Why no max_length here: a too-long text must reach the service, whose message explains the limit.
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=f"Korean or English, up to {MAX_DESCRIPTION_CHARS} characters.",
    )
    genre = forms.ChoiceField(choices=_optional(GENRES), required=False)
    mood = forms.ChoiceField(choices=_optional(MOODS), required=False)
    time_of_day = forms.ChoiceField(choices=_optional(TIMES_OF_DAY), required=False)
    weather = forms.ChoiceField(choices=_optional(WEATHERS), required=False)
    season = forms.ChoiceField(choices=_optional(SEASONS), required=False)
    place = forms.CharField(max_length=200, required=False)
    share = forms.BooleanField(
        required=False,
        label="Share with everyone",
        help_text="Off: only you see the scene and its recipes; you can share it later.",
    )


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(choices=[(i, f"{i} / 5") for i in range(5, 0, -1)], coerce=int)
    liked = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    disliked = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)

    def __init__(self, *args, recipe=None, **kwargs):
        super().__init__(*args, **kwargs)
        names = [(line.ingredient.name, line.ingredient.name) for line in recipe.lines.all()] if recipe else []
        self.fields["liked"].choices = names
        self.fields["disliked"].choices = names


class ProductionForm(forms.Form):
    volume_ml = forms.FloatField(min_value=1, max_value=100000, initial=50, label="Batch (ml)")
    concentration = forms.ChoiceField(choices=[(c, c) for c in CONCENTRATIONS], required=False)


class WeighoutForm(forms.Form):
    volume_ml = forms.FloatField(min_value=1, max_value=100000, initial=50, label="Batch of each recipe (ml)")
    concentration = forms.ChoiceField(
        choices=[("", "each recipe's own")] + [(c, c) for c in CONCENTRATIONS], required=False
    )


class MovieMomentForm(forms.Form):
    """A moment of a catalog film to compose from (the service checks the text again)."""

    # No max_length: a too-long text must reach the service, whose message explains the limit.
    text = forms.CharField(
        required=False,
        label="A moment of this film",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional: what we see, hear and smell. Empty: the film as a whole. "
        "The film's genres and plot are added.",
    )
