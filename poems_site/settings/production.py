"""Production: refuses to start without a real secret key and allowed hosts."""

import os
import tempfile

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, env_bool, env_list

DEBUG = env_bool("DJANGO_DEBUG", False)

if not SECRET_KEY or SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random value of at least 50 characters in "
        "production, e.g. python -c 'import secrets; print(secrets.token_urlsafe(64))'."
    )
if not env_list("DJANGO_ALLOWED_HOSTS", []):
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS must list the host names this site answers to in production."
    )

# HTTPS everywhere; behind a proxy that terminates TLS, trust its header.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
# Preloading HSTS is a commitment that outlives the site: opt in with DJANGO_HSTS_PRELOAD.
# Until then `check --deploy` would warn about it (security.W021) on every run.
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Without Redis, the workers of one host share a file cache, so an editor's save
# reaches all of them; several hosts need REDIS_URL (README, "Several instances").
if not os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get(
                "DJANGO_CACHE_DIR", os.path.join(tempfile.gettempdir(), "poems-criteria-cache")
            ),
        }
    }
