"""Upload size limit enforced while the request is read, not after it has been stored.

Django writes a large upload to a temporary file before any view code runs; without this
handler a multi-gigabyte upload would fill the disk before the service could say "too large".
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class UploadTooLarge(FileUploadHandler):
    """Stops receiving a file past ``ADSTUDIO_MAX_UPLOAD_BYTES`` and marks the request."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = settings.ADSTUDIO_MAX_UPLOAD_BYTES

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.request.adstudio_upload_too_large = True
            # Keep reading (and discarding) the body so the client gets a normal page.
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def upload_limit_install(request) -> None:
    """Put the limit first in line; call before anything reads ``request.POST``/``FILES``."""
    request.upload_handlers.insert(0, UploadTooLarge(request))


def upload_was_too_large(request) -> bool:
    return getattr(request, "adstudio_upload_too_large", False)


def too_large_message() -> str:
    return f"The file is larger than the {settings.ADSTUDIO_MAX_UPLOAD_BYTES // 2**20} MB limit."
