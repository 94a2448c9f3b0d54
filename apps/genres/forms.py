"""Form for starting a genre experiment from the research page."""

from django import forms
from django.conf import settings

from apps.genres.ml.heads import HEAD_KINDS

HEAD_LABELS = {
    "text": "Text only (plot)",
    "image": "Image only (poster)",
    "early": "Early fusion (concatenation)",
    "late": "Late fusion (combined predictions)",
    "attention": "Attention fusion (modality weights)",
    "cross": "Cross-attention fusion",
    "gmu": "Gated multimodal unit (GMU)",
}


class ExperimentForm(forms.Form):
    name = forms.CharField(max_length=120, required=False)
    data_path = forms.ChoiceField(label="Data set", choices=())
    heads = forms.MultipleChoiceField(
        choices=[(k, HEAD_LABELS[k]) for k in HEAD_KINDS], initial=list(HEAD_KINDS), widget=forms.CheckboxSelectMultiple
    )
    seed = forms.IntegerField(initial=13, min_value=0, max_value=2**31 - 1)
    limit = forms.IntegerField(required=False, min_value=10, help_text="use only the first N movies (quick runs)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only data sets the operator listed in settings: the page never reads arbitrary paths.
        self.fields["data_path"].choices = [(p, p) for p in settings.GENRES_DATASETS]
