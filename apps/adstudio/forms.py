from django import forms
from django.conf import settings

from apps.adstudio.models import Provider
from apps.adstudio.providers import providers_enabled
from apps.adstudio.services.moodboards import DESCRIPTION_MAX_CHARS, NOTE_MAX_CHARS


def provider_choices():
    enabled = providers_enabled(settings.ADSTUDIO_PROVIDERS)
    return [(value, label) for value, label in Provider.choices if value in enabled]


class AnalyseForm(forms.Form):
    url = forms.URLField(
        required=False,
        max_length=2000,
        assume_scheme="https",
        help_text="A page or file URL (http/https), downloaded with yt-dlp.",
    )
    upload = forms.FileField(required=False, help_text="Or upload a video file.")
    title = forms.CharField(required=False, max_length=200)
    provider = forms.ChoiceField(choices=(), initial=Provider.LOCAL)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = provider_choices()

    def clean(self):
        data = super().clean()
        if bool(data.get("url")) == bool(data.get("upload")):
            raise forms.ValidationError("Give either a URL or a file (one of them).")
        return data


class MoodboardForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(
        required=False, max_length=DESCRIPTION_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 2})
    )


class MoodboardAddForm(forms.Form):
    """What an "add to moodboard" button posts."""

    moodboard = forms.IntegerField(min_value=1)
    shot = forms.IntegerField(min_value=1)
    note = forms.CharField(required=False, max_length=NOTE_MAX_CHARS)


class NotionExportForm(forms.Form):
    """What an "Export to Notion" button posts: an analysis or a moodboard."""

    analysis = forms.IntegerField(min_value=1, required=False)
    moodboard = forms.IntegerField(min_value=1, required=False)

    def clean(self):
        data = super().clean()
        if bool(data.get("analysis")) == bool(data.get("moodboard")):
            raise forms.ValidationError("Give either an analysis or a moodboard (one of them).")
        return data


class NoteForm(forms.Form):
    note = forms.CharField(required=False, max_length=NOTE_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 2}))


class NotionSettingsForm(forms.Form):
    token = forms.CharField(
        required=False,
        max_length=300,
        widget=forms.PasswordInput(render_value=False),
        help_text="Your Notion internal integration secret. Leave blank " "to keep the saved one.",
    )
    database_id = forms.CharField(
        max_length=100, help_text="The id in the database's link " "(share the database with the " "integration)."
    )
