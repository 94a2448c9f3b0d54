from django.core.files.uploadedfile import SimpleUploadedFile

from apps.adstudio import services


def upload_of(path, name=None):
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type="video/mp4")


def video_uploaded(owner, path, **kw):
    return services.video_create_from_upload(owner=owner, upload=upload_of(path), **kw)


def analysis_started(owner, path, provider="local"):
    video = video_uploaded(owner, path)
    return services.analysis_start(owner=owner, video=video, provider=provider)
