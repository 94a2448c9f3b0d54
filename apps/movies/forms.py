"""Forms of the movies pages (validation of shape only; business rules live in services)."""

from django import forms
from django.conf import settings

from apps.movies.models import Genre
from apps.movies.services.catalog import PLOT_MAX_CHARS


class LinesField(forms.CharField):
    """A list of names, one a line (production companies: their names may hold commas)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, (list, tuple)) else value

    def to_python(self, value):
        return [line.strip() for line in (super().to_python(value) or "").splitlines() if line.strip()]


class MovieForm(forms.Form):
    title = forms.CharField(max_length=200)
    original_title = forms.CharField(max_length=200, required=False)
    tagline = forms.CharField(max_length=300, required=False)
    release_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    director = forms.CharField(max_length=200, required=False)
    runtime_minutes = forms.IntegerField(required=False, min_value=1, max_value=1000)
    plot = forms.CharField(required=False, max_length=PLOT_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 5}))
    original_language = forms.CharField(max_length=3, required=False, help_text="A code such as en, ko or fr.")
    production_companies = LinesField(required=False, help_text="One a line.")
    genres = forms.ModelMultipleChoiceField(
        queryset=Genre.objects.order_by("name"), required=False, widget=forms.CheckboxSelectMultiple
    )
    poster = forms.ImageField(required=False, help_text="JPEG, PNG, WebP or GIF, at most 5 MB.")
    poster_url = forms.URLField(
        required=False,
        max_length=1000,
        assume_scheme="https",
        help_text="Or a public image URL; it is fetched in the background.",
    )

    def clean_poster(self):
        poster = self.cleaned_data.get("poster")
        if poster and poster.size > settings.MOVIES_POSTER_MAX_BYTES:
            raise forms.ValidationError("The poster file is larger than 5 MB.")
        return poster


class ReviewForm(forms.Form):
    # The service checks emptiness, length and words with the same messages as the API; the
    # form's own limit is looser so a too-long text comes back in the form rather than cut.
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "What did you think? (Korean or English)"}),
        strip=False,
        required=False,
    )
    user_rating = forms.TypedChoiceField(
        label="Your rating",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "No rating"), *((n, f"{n}/10") for n in range(10, 0, -1))],
        help_text="Optional: your own 1–10, shown beside the AI's.",
    )


class ReviewImportForm(forms.Form):
    file = forms.FileField(help_text="TSV or CSV with a header holding movie_id and text; at most 20 MB.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError("The file is larger than 20 MB.")
        return upload
