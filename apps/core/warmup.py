"""Loading models before the first request or job needs them."""

import logging
import threading

from django.db import connection
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def warm_up(dotted_paths: list[str]) -> None:
    """Calls each warm-up function; a failure is logged, never raised (the site stays up)."""
    for dotted in dotted_paths:
        try:
            import_string(dotted)()
            logger.info("warmed up %s", dotted)
        except Exception:
            logger.exception("warm-up %s failed", dotted)


def warm_up_in_background(dotted_paths: list[str]) -> threading.Thread:
    def run():
        try:
            warm_up(dotted_paths)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=run, name="web-warmup", daemon=True)
    thread.start()
    return thread
