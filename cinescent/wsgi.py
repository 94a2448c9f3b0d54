import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cinescent.settings")
application = get_wsgi_application()


def _warm_up_web_models():
    # Only web servers import this module. They score reviews synchronously, so the models in
    # settings.WEB_WARMUP load in the background at start instead of on the first request.
    from django.conf import settings

    from apps.core.warmup import warm_up_in_background
    from cinescent.env import env_bool

    if settings.WEB_WARMUP and env_bool("CINESCENT_WEB_WARMUP", True):
        warm_up_in_background(settings.WEB_WARMUP)


_warm_up_web_models()
