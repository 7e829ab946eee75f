"""Test settings: fast and honest (plain static storage, fast hashing, local cache)."""

from .development import *  # noqa: F403

DEBUG = False
SECRET_KEY = "django-insecure-test-only"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = LOCAL_CACHES  # noqa: F405  (never Redis, whatever REDIS_URL says)
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# Tests make their own database, so the site's SQLite file is never opened: without
# this, `makemigrations --check` warns when it is missing (only `migrate` creates it).
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["NAME"] = ":memory:"  # noqa: F405
# Tests run without collectstatic: WhiteNoise finds files in the source folders instead
# of warning that STATIC_ROOT does not exist (and warnings are errors in the suite).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
