"""/readyz tells the truth (security review F4): 200 only when the database answers and
is migrated and both caches keep what is written to them; otherwise 503, text/plain,
never stored, within 3 s, whatever the database does."""

import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.db import connections
from django.db.utils import load_backend

from poems_site import health
from poems_site.settings.base import REDIS_OPTIONS, database_settings

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parent.parent


def assert_not_ready(response):
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/plain")
    assert "no-store" in response["Cache-Control"]


@contextmanager
def default_database(settings_dict):
    """Serve with another database in place of the default one."""
    configured = connections.configure_settings({"default": settings_dict})["default"]
    replacement = load_backend(configured["ENGINE"]).DatabaseWrapper(configured, "default")
    original = connections["default"]
    connections["default"] = replacement
    try:
        yield
    finally:
        replacement.close()
        connections["default"] = original


def test_ready_when_the_database_is_migrated_and_the_caches_work(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-store" in response["Cache-Control"]


def test_an_empty_sqlite_database_is_not_ready(client, tmp_path):
    """What SQLite used to create in place of a deleted file: it answers SELECT 1."""
    empty = tmp_path / "db.sqlite3"
    sqlite3.connect(empty).close()
    with default_database({"ENGINE": "django.db.backends.sqlite3", "NAME": str(empty)}):
        response = client.get("/readyz")
    assert_not_ready(response)


def test_a_missing_sqlite_file_is_not_ready_and_never_created(client, tmp_path):
    missing = tmp_path / "db.sqlite3"
    with default_database(database_settings(f"sqlite:///{missing}")):
        response = client.get("/readyz")
        again = client.get("/readyz")
    assert_not_ready(response)
    assert_not_ready(again)
    assert not missing.exists()


def test_a_database_without_the_latest_migration_is_not_ready(client, monkeypatch):
    expected = health.expected_migrations()
    monkeypatch.setattr(
        health, "expected_migrations", lambda: expected | {("checklist", "9999_not_applied")}
    )
    assert_not_ready(client.get("/readyz"))


class ReadOnlyCache(LocMemCache):
    """A cache on a read-only file system: every write fails."""

    def set(self, *args, **kwargs):
        raise OSError(30, "Read-only file system")

    add = set


class ForgetfulCache(LocMemCache):
    """A cache that accepts writes and keeps nothing."""

    def set(self, *args, **kwargs):
        pass


@pytest.mark.parametrize("alias", ["default", "generation"])
@pytest.mark.parametrize("backend", [ReadOnlyCache, ForgetfulCache])
def test_a_cache_that_does_not_keep_what_is_written_is_not_ready(client, settings, alias, backend):
    settings.CACHES = {
        **settings.CACHES,
        alias: {"BACKEND": f"{__name__}.{backend.__name__}", "LOCATION": f"broken-{alias}"},
    }
    assert_not_ready(client.get("/readyz"))
    assert client.get("/healthz").status_code == 200


@pytest.fixture
def silent_server():
    """A fake PostgreSQL on 127.0.0.1: it accepts connections and never says a word."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    accepted = []
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join(timeout=5)
    listener.close()
    for connection in accepted:
        connection.close()


def test_a_database_that_never_answers_is_not_ready_within_3_seconds(client, silent_server):
    url = f"postgres://poems:secret@127.0.0.1:{silent_server}/poems"
    with default_database(database_settings(url)):
        started = time.monotonic()
        response = client.get("/readyz")
        elapsed = time.monotonic() - started
    assert_not_ready(response)
    assert elapsed < 3


@pytest.mark.parametrize("alias", ["default", "generation"])
def test_a_redis_that_never_answers_is_not_ready_within_3_seconds(
    client, settings, silent_server, alias
):
    settings.CACHES = {
        **settings.CACHES,
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{silent_server}/0",
            "OPTIONS": REDIS_OPTIONS,
        },
    }
    started = time.monotonic()
    response = client.get("/readyz")
    elapsed = time.monotonic() - started
    assert_not_ready(response)
    assert elapsed < 3


def manage(*args, database):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONDONTWRITEBYTECODE": "1",
        "DJANGO_SETTINGS_MODULE": "poems_site.settings.development",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_only_migrate_creates_the_sqlite_file(tmp_path):
    database = tmp_path / "site.sqlite3"
    refused = manage("load_initial_content", database=database)
    assert refused.returncode != 0
    assert not database.exists()
    created = manage("migrate", "--noinput", "-v0", database=database)
    assert created.returncode == 0, created.stderr
    with closing(sqlite3.connect(database)) as tables:
        (count,) = tables.execute("SELECT count(*) FROM django_migrations").fetchone()
    assert count > 0
