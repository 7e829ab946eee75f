"""A content generation number: every editor's save bumps it, so cached words expire.

Everything cached from the database (the checklist's words, rendered pages) is keyed
by the generation. With Redis configured all app servers share it; see README.
"""

from django.core.cache import cache

GENERATION_KEY = "content:generation"


def generation():
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = 1
        cache.add(GENERATION_KEY, value, timeout=None)
    return value


def bump_generation(**kwargs):
    """Signal receiver: any change to content makes every cached copy stale."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def cached(name, language, build, timeout=60 * 60 * 24):
    """Return cache[name, language, generation], building it with build() when absent."""
    key = f"content:{generation()}:{language}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout)
    return value
