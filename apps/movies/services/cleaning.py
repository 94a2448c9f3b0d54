"""Model validation for the movies services: ``full_clean()`` turned into an ApplicationError whose
message names each field and what is wrong with it."""

from django.core.exceptions import ValidationError

from apps.core.errors import ApplicationError


def _validation_message(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
    return " ".join(exc.messages)


def instance_clean(instance) -> None:
    """``instance.full_clean()``; raises ApplicationError (code invalid, the fields in ``extra``)."""
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise ApplicationError(
            _validation_message(exc), code="invalid", extra={"fields": getattr(exc, "message_dict", {})}
        ) from exc
