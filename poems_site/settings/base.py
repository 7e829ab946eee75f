"""Settings shared by every environment, read from the environment.

`development.py`, `production.py` and `test.py` import this module and change only
what differs. Every variable is documented in the README ("Configuration").
"""

import os
import tomllib
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


# The tool's version, shown on every page and summary: one home, pyproject.toml.
with (BASE_DIR / "pyproject.toml").open("rb") as pyproject:
    VERSION = tomllib.load(pyproject)["project"]["version"]

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# The public address printed on summaries and encoded in their QR codes.
SITE_BASE_URL = os.environ.get("SITE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# The admin can live elsewhere than /admin/ (a little less noise from scanners).
ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it must come before it.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "axes",
    "checklist",
    "content",
]

MIDDLEWARE = [
    "poems_site.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # WhiteNoise, less the static-files manifest.
    "poems_site.middleware.StaticFilesMiddleware",
    "poems_site.middleware.SecurityHeadersMiddleware",
    # Reads the content generation once per request (common/generation.py).
    "common.generation.GenerationMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # axes must be last: it answers locked-out sign-ins itself.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "poems_site.urls"
WSGI_APPLICATION = "poems_site.wsgi.application"

TEMPLATES = [
    # The public pages: Jinja2, for speed (see poems_site/jinja2.py).
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "poems_site.jinja2.environment",
            "context_processors": [
                "django.template.context_processors.csp",
                "poems_site.context_processors.site",
            ],
        },
    },
    # The admin and the apps it uses (modeltranslation, simple-history): Django templates.
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]


def database_settings(url):
    """The database at `url`, set up so that /readyz can tell the truth (README, "Health").

    PostgreSQL gives up connecting after 2 s (a server that accepts and never answers
    would otherwise hold a worker for good). A SQLite file is opened read-write only
    (a `mode=rw` URI): a missing file is an error, never a new, empty database that
    answers every query with "no such table". Only `migrate` creates the file
    (checklist/management/commands/migrate.py); tests make their own database.
    """
    database = dj_database_url.parse(
        url,
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    engine, name = database["ENGINE"], str(database.get("NAME") or "")
    a_file = name not in ("", ":memory:") and not name.startswith("file:")
    if engine.endswith(("postgresql", "postgis")):
        database.setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    elif engine.endswith("sqlite3") and a_file:
        database["NAME"] = Path(name).resolve().as_uri() + "?mode=rw"
    return database


# SQLite in the project folder unless DATABASE_URL names another database.
DATABASES = {
    "default": database_settings(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches (docs/caching.md). "default" holds words and pages built from the database,
# each with a timeout; "generation" holds only the content generation token, with no
# timeout, so nothing ever evicts it. With Redis, all app servers share both; without,
# each process has its own (production then uses a private file cache, see there).
REDIS_URL = os.environ.get("REDIS_URL", "")
# A Redis that does not answer costs a request one second (a miss), never a worker.
REDIS_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
# Each process its own: the default without Redis, and always in the tests.
LOCAL_CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "generation": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "generation",
        "TIMEOUT": None,
    },
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "poems",
            "TIMEOUT": 60 * 60 * 24,
            "OPTIONS": REDIS_OPTIONS,
        },
        "generation": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "poems-generation",
            "TIMEOUT": None,
            "OPTIONS": REDIS_OPTIONS,
        },
    }
else:
    CACHES = LOCAL_CACHES

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: every page exists in these three languages.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
    ("ja", _("Japanese")),
]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Sessions and CSRF only matter to the admin; the public pages set no cookie.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Security headers (see poems_site.middleware for the ones Django has no setting for).
SECURE_CONTENT_TYPE_NOSNIFF = True
# A checklist URL carries findings: other sites never see more than our origin.
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()"
)

# A checklist has at most a few dozen keys; more is an attack or a mistake.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

# Admin sign-in (django-axes): an account is locked out from one address after
# SIGNIN_FAILURES_PER_ACCOUNT failures, and an address after SIGNIN_FAILURES_PER_ADDRESS
# failures across accounts, for an hour (poems_site/signin.py).
SIGNIN_FAILURES_PER_ACCOUNT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
SIGNIN_FAILURES_PER_ADDRESS = 20
AXES_FAILURE_LIMIT = "poems_site.signin.failure_limit"
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# A refused `next` (another site) leads to the admin, not to /accounts/profile/.
LOGIN_REDIRECT_URL = "admin:index"


def client_address_settings(proxies):
    """(AXES_IPWARE_META_PRECEDENCE_ORDER, AXES_IPWARE_PROXY_COUNT) for a site behind
    `proxies` trusted reverse proxies, each adding the address it was reached from to
    X-Forwarded-For. Without one, the address is REMOTE_ADDR and the header is ignored
    (any client can write it). Behind them, the client is the entry `proxies` from the
    right: django-ipware counts the proxies listed in the header, and the nearest one
    is REMOTE_ADDR, not listed; entries a client wrote itself stay on the left, ignored
    (IPWARE_STRICT off: they do not make the proxies' entries untrustworthy).
    """
    if proxies <= 0:
        return ("REMOTE_ADDR",), None
    return ("HTTP_X_FORWARDED_FOR",), proxies - 1


# The number of reverse proxies in front of the app (README, "Configuration"); gunicorn
# must then be reachable through them only.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_IPWARE_META_PRECEDENCE_ORDER, AXES_IPWARE_PROXY_COUNT = client_address_settings(
    TRUSTED_PROXY_COUNT
)
IPWARE_STRICT = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "strip_query_strings": {"()": "poems_site.logging.StripQueryStrings"},
    },
    "formatters": {
        "json": {"()": "poems_site.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["strip_query_strings"],
        },
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "poems.request": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # runserver's own access log repeats ours, with query strings: keep it quiet.
        "django.server": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# Blocks that explanatory pages can place with a line [[name]] (content/markdown.py):
# made by the site from its own data, so that what they state cannot drift from it.
CONTENT_BLOCKS = {"criteria-rules": "checklist.blocks.criteria_rules"}

# modeltranslation's tabbed admin loads jQuery UI; we serve our vendored copy (no CDN).
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"
