"""Per-key rate limits with the `limits` library: memory by default, Redis when configured.

With several API workers the counters must be shared, or each worker would grant the full
allowance: `COPILOT_REDIS_URL` switches the storage to Redis (moving window, one Lua call per
hit). The headers follow OpenAI's names so clients that already read them keep working.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from limits import RateLimitItemPerMinute
from limits.aio.storage import Storage as AsyncStorage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RateStatus:
    allowed: bool
    limit: int
    remaining: int
    reset_s: float  # seconds until a request is allowed again (or the window resets)

    def headers(self) -> dict[str, str]:
        reset = max(0, math.ceil(self.reset_s))
        out = {
            "x-ratelimit-limit-requests": str(self.limit),
            "x-ratelimit-remaining-requests": str(self.remaining),
            "x-ratelimit-reset-requests": f"{reset}s",
        }
        if not self.allowed:
            out["retry-after"] = str(max(1, reset))
        return out


class RateLimiter:
    def __init__(self, per_minute: int, redis_url: str | None = None) -> None:
        self.item = RateLimitItemPerMinute(per_minute)
        self.backend = "redis" if redis_url else "memory"
        if redis_url:
            uri = "async+" + redis_url if not redis_url.startswith("async+") else redis_url
            storage = storage_from_string(uri, implementation="redispy")
        else:
            storage = storage_from_string("async+memory://")
        assert isinstance(storage, AsyncStorage)
        self.storage: AsyncStorage = storage
        self.strategy = MovingWindowRateLimiter(storage)

    async def hit(self, key_id: str) -> RateStatus | None:
        """Count one request; None when the counter store is unreachable (fail open, logged)."""
        try:
            allowed = await self.strategy.hit(self.item, "key", key_id)
            stats = await self.strategy.get_window_stats(self.item, "key", key_id)
        except Exception as exc:  # a Redis outage must not take the API down with it
            log.warning("rate-limit store unavailable (%s): %s", self.backend, exc)
            return None
        return RateStatus(
            allowed=allowed,
            limit=self.item.amount,
            remaining=max(0, stats.remaining),
            reset_s=max(0.0, stats.reset_time - time.time()),
        )

    async def reset(self) -> None:
        await self.storage.reset()
