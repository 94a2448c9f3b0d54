import io

from django.conf import settings
from rest_framework.parsers import JSONParser

from apps.core.api.exceptions import PayloadTooLarge


class LimitedJSONParser(JSONParser):
    """JSON parser with a body size limit.

    DRF streams the request body straight into the parser, so Django's
    DATA_UPLOAD_MAX_MEMORY_SIZE does not apply to JSON; without this a client can make the
    server buffer and parse an arbitrarily large document.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_MAX_BODY_BYTES
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and declared.isdigit() and int(declared) > limit:
            raise PayloadTooLarge(f"The request body is {int(declared)} bytes; the limit is {limit}.")
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise PayloadTooLarge(f"The request body is over the limit of {limit} bytes.")
        return super().parse(io.BytesIO(body), media_type, parser_context)
