"""Production: refuses to start without a real secret key and allowed hosts."""

import os
import stat
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import BASE_DIR, SECRET_KEY, env_bool, env_list

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


def private_directory(path):
    """`path`, created 0700 when missing; refused unless this user owns it and nobody
    else may write to it. Django's file cache unpickles what it reads, so a file that
    another local user could plant there would run as this app."""
    path = Path(path)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = path.stat()
    if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise ImproperlyConfigured(
            f"DJANGO_CACHE_DIR {path} must belong to this user and be writable by it alone "
            "(chmod 700)."
        )
    return path


# Without Redis, the workers of one host share a file cache in a directory private to
# the app, so an editor's save reaches all of them; several hosts need REDIS_URL
# (README, "Deployment"). The generation token has a directory of its own: culling
# the busy one (MAX_ENTRIES) can never evict it.
if not os.environ.get("REDIS_URL"):
    CACHE_DIR = private_directory(os.environ.get("DJANGO_CACHE_DIR") or BASE_DIR / "var" / "cache")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": private_directory(CACHE_DIR / "content"),
            "TIMEOUT": 60 * 60 * 24,
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
        "generation": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": private_directory(CACHE_DIR / "generation"),
            "TIMEOUT": None,
        },
    }
