"""Results kept in Django's shared cache (the database cache, or Redis with REDIS_URL), so every
app server and worker reuses what one of them computed, and a clear reaches all of them.

Only for values that are a pure function of their key (a chart drawn from its figures): an
entry can then never be wrong, only missing. If the cache cannot be reached the value is
computed, as if the entry were missing.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from collections.abc import Callable

from django.core.cache import cache

log = logging.getLogger(__name__)

#: A day: a chart's figures rarely come back after that, and the cache culls the oldest anyway.
DEFAULT_SECONDS = 24 * 60 * 60


def _generation(namespace: str) -> int:
    value = cache.get_or_set(f"{namespace}:generation", 0, timeout=None)
    return int(value or 0)


def memoized(
    namespace: str, key: object, compute: Callable[[], str], *, timeout: int = DEFAULT_SECONDS
) -> str:
    """``compute()``, or the value stored for ``key`` (anything picklable) in ``namespace``."""
    digest = hashlib.sha256(pickle.dumps(key, protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()
    try:
        entry = f"{namespace}:{_generation(namespace)}:{digest}"
        found = cache.get(entry)
    except Exception:  # the cache is an optimisation: without it, compute
        log.warning("shared cache unavailable for %s", namespace, exc_info=True)
        return compute()
    if isinstance(found, str):
        return found
    value = compute()
    try:
        cache.set(entry, value, timeout=timeout)
    except Exception:
        log.warning("shared cache unavailable for %s", namespace, exc_info=True)
    return value


def forget(namespace: str) -> None:
    """Forget every value of ``namespace`` on every server (a new generation of keys)."""
    cache.set(f"{namespace}:generation", _generation(namespace) + 1, timeout=None)
