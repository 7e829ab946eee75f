"""The content generation: which version of the editors' words a request sees.

Every editor's save replaces a random token (`bump`). Everything built from the
database (the checklist's words, rendered pages, the form's fragments) is cached under
a key that holds the token and the release id, so a save makes every cached copy, in
every process and on every app server, unreachable at once.

* The token lives alone in its own cache alias, "generation" (Redis with no expiry,
  or a file cache that holds nothing else), so it is never evicted to make room.
* A request reads it at most once, when it first needs it (`GenerationMiddleware`),
  and sees one generation throughout.
* `cached()` keeps values in the shared cache (bounded by its timeout) and a small
  per-process LRU (bounded by its size). A cache that cannot be read or written is a
  miss, never an error: pages are then built from the database.

docs/caching.md describes every cache of the site.
"""

import logging
import threading
import uuid
from contextlib import contextmanager
from contextvars import ContextVar

from cachetools import LRUCache
from django.core.cache import cache, caches

from common.release import RELEASE

logger = logging.getLogger(__name__)

GENERATION_ALIAS = "generation"
GENERATION_KEY = "content-generation"
# While the generation cannot be read, nothing is cached: values are built each time,
# and each reading is a generation of its own, so no part remembered under it in one
# outage is served in the next.
UNAVAILABLE = "unavailable"
DAY = 60 * 60 * 24
# Pages (about 25) and word lists in three languages fit with room to spare.
LOCAL_ENTRIES = 256

_pinned = ContextVar("content_generation", default=None)
_local = LRUCache(maxsize=LOCAL_ENTRIES)
_local_lock = threading.Lock()


def read_generation():
    """The token of the last editor's save (made on first use)."""
    store = caches[GENERATION_ALIAS]
    try:
        token = store.get(GENERATION_KEY)
        if token is None:
            store.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
            token = store.get(GENERATION_KEY)
    except Exception:
        logger.exception("content generation unreadable; serving without the shared cache")
        return _unavailable()
    return token or _unavailable()


def _unavailable():
    return f"{UNAVAILABLE}-{uuid.uuid4().hex}"


def current():
    """The generation of the request being served: read on first use, then the same
    until the request ends. Outside a request, read now."""
    held = _pinned.get()
    if held is None:
        return read_generation()
    if not held:
        held.append(read_generation())
    return held[0]


@contextmanager
def pinned():
    """One generation for the block: read when first needed (never, for a request that
    shows no words, such as /healthz), then kept until the block ends."""
    reset = _pinned.set([])
    try:
        yield
    finally:
        _pinned.reset(reset)


class GenerationMiddleware:
    """Each request sees one content generation, read once."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with pinned():
            return self.get_response(request)


def bump(**kwargs):
    """Signal receiver: any change to the words makes every cached copy stale."""
    caches[GENERATION_ALIAS].set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def version():
    """The release and generation that every cached value is keyed by."""
    return f"{RELEASE}.{current()}"


def cached(name, language, build, timeout=DAY):
    """The value of build() for (name, language) in this release and generation.

    Kept in this process and in the shared cache. The value is shared: callers must
    not change it. None (nothing found) is never kept.
    """
    generation = current()
    if generation.startswith(UNAVAILABLE):
        return build()
    key = f"content:{RELEASE}.{generation}:{language}:{name}"
    with _local_lock:
        value = _local.get(key)
    if value is not None:
        return value
    value = _read_shared(key)
    if value is None:
        value = build()
        if value is None:
            return None
        _write_shared(key, value, timeout)
    with _local_lock:
        _local[key] = value
    return value


def _read_shared(key):
    try:
        return cache.get(key)
    except Exception:
        logger.exception("shared cache unreadable; building from the database")
        return None


def _write_shared(key, value, timeout):
    try:
        cache.set(key, value, timeout)
    except Exception:
        logger.exception("shared cache not writable; the value is kept in this process only")


def local_entries():
    """How many values this process keeps (for the tests and the benchmark)."""
    with _local_lock:
        return len(_local)
