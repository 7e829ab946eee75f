"""Test settings: fast and honest (plain static storage, fast hashing, local cache)."""

from .development import *  # noqa: F403

DEBUG = False
SECRET_KEY = "django-insecure-test-only"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "generation": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "generation",
        "TIMEOUT": None,
    },
}
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# Tests run without collectstatic: WhiteNoise finds files in the source folders instead
# of warning that STATIC_ROOT does not exist (and warnings are errors in the suite).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
