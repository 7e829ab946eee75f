"""Liveness and readiness probes for load balancers and orchestrators.

/readyz answers 200 only when this process can serve: its database answers and is
migrated (the latest migration of every app is recorded, so a new, empty SQLite file
is not ready), and both caches ("default" and "generation") give back what is written
to them. Otherwise 503, within 3 s: PostgreSQL gives up connecting after 2 s (settings)
and the probe's queries after half a second; Redis gives up after 1 s (settings).
"""

import functools
import logging
import uuid

from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import HttpResponse
from django.views.decorators.cache import never_cache

from common.generation import GENERATION_ALIAS

logger = logging.getLogger(__name__)

CACHE_ALIASES = ("default", GENERATION_ALIAS)
# A probe key outlives a probe that dies half-way by this much at most (seconds).
PROBE_KEY_TIMEOUT = 10
STATEMENT_TIMEOUT = "500ms"


@functools.cache
def expected_migrations():
    """The latest migration of each app, as the code has them (read once)."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())


def database_problem():
    """Why the database cannot serve, or None."""
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with transaction.atomic(using=connection.alias):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    # For this transaction only: the probe never waits on a stuck query.
                    cursor.execute(
                        "SELECT set_config('statement_timeout', %s, true)", [STATEMENT_TIMEOUT]
                    )
            applied = set(MigrationRecorder(connection).migration_qs.values_list("app", "name"))
    except Exception as error:
        logger.warning("readyz: database unavailable (%s)", type(error).__name__)
        return "database unavailable"
    if not expected_migrations() <= applied:
        logger.warning("readyz: database not migrated")
        return "database not migrated"
    return None


def cache_problem():
    """Why a cache cannot serve (it must give back what is written to it), or None."""
    for alias in CACHE_ALIASES:
        key, value = f"readyz-probe:{uuid.uuid4().hex}", uuid.uuid4().hex
        try:
            store = caches[alias]
            store.set(key, value, timeout=PROBE_KEY_TIMEOUT)
            kept = store.get(key) == value
            store.delete(key)
        except Exception as error:
            logger.warning("readyz: cache %s unavailable (%s)", alias, type(error).__name__)
            return f"cache {alias} unavailable"
        if not kept:
            logger.warning("readyz: cache %s keeps nothing", alias)
            return f"cache {alias} unavailable"
    return None


@never_cache
def healthz(request):
    """The process answers; touches no database (also the benchmarks' baseline)."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def readyz(request):
    """The process can serve: its database answers and is migrated, its caches work."""
    problem = database_problem() or cache_problem()
    if problem:
        return HttpResponse(problem, status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
