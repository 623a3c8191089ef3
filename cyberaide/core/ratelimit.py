"""A fixed-window rate limit counted in the shared cache.

The client address only ever appears hashed, inside a cache key that expires with its window: it is never
stored in the database nor logged.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def parse_rate(rate: str) -> tuple[int, int]:
    """'60/600' -> (60 requests, 600 seconds)."""
    count, seconds = rate.split("/")
    return int(count), int(seconds)


def client_fingerprint(request) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    return hashlib.blake2b(f"{settings.SECRET_KEY}:{address}".encode(), digest_size=12).hexdigest()


def is_rate_limited(request, scope: str, rate: str) -> bool:
    """Count this request against ``scope`` and say whether the client went over ``rate``."""
    return is_over_limit(f"{scope}:{client_fingerprint(request)}", rate)


def is_over_limit(subject: str, rate: str) -> bool:
    """Count one more event for ``subject`` (a scope and whoever acts) and say whether it went over ``rate``."""
    if not settings.RATELIMIT_ENABLED:
        return False
    limit, window = parse_rate(rate)
    bucket = int(time.time() // window)
    key = f"ratelimit:{subject}:{bucket}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    return count > limit
