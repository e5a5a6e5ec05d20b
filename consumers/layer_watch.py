"""Notice that the channel layer's Redis is gone, and tell every socket of the process.

With the Pub/Sub layer a socket learns about a Redis outage only when it publishes
something: its subscription fails quietly inside channels-redis, which retries on its own.
A socket that only listens would miss frames without knowing. One cheap ``PING`` a second
per process finds the outage instead, and every socket registered here is closed with
4503 and an ``unavailable`` frame; clients reconnect with backoff and resync with
``history``, exactly as after a process crash.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from typing import Protocol

import redis.asyncio
import redis.exceptions
from django.conf import settings

from messaging.loop_local import LoopLocal

logger = logging.getLogger(__name__)

#: Seconds between two checks; also what a check may take before it counts as a failure.
INTERVAL = 1.0

class Watched(Protocol):
    async def layer_down(self) -> None:
        """Tell the client live delivery broke, and close."""


class LayerWatch:
    """Pings the layer's Redis while sockets are registered; calls their ``layer_down``."""

    def __init__(self, redis_url: str, interval: float = INTERVAL) -> None:
        self.redis_url = redis_url
        self.interval = interval
        # Weak: a socket that ends without unregistering (a crash) is not kept alive.
        self._sockets: weakref.WeakSet[Watched] = weakref.WeakSet()
        self._task: asyncio.Task[None] | None = None

    def register(self, socket: Watched) -> None:
        self._sockets.add(socket)
        if self._task is None:
            self._task = asyncio.create_task(self._watch())

    def unregister(self, socket: Watched) -> None:
        self._sockets.discard(socket)

    async def _watch(self) -> None:
        client = redis.asyncio.Redis.from_url(
            self.redis_url, socket_timeout=self.interval, socket_connect_timeout=self.interval
        )
        try:
            while self._sockets:
                await asyncio.sleep(self.interval)
                try:
                    await client.ping()
                except (redis.exceptions.RedisError, OSError) as error:
                    logger.warning("channel layer Redis unreachable (%s); closing sockets", error)
                    down, self._sockets = list(self._sockets), weakref.WeakSet()
                    await asyncio.gather(*(s.layer_down() for s in down), return_exceptions=True)
        finally:
            self._task = None
            await client.aclose()


def layer_redis_url() -> str | None:
    """The Redis the default channel layer uses, or ``None`` for the in-memory layer."""
    config = settings.CHANNEL_LAYERS.get("default", {})
    if not config.get("BACKEND", "").startswith("channels_redis."):
        return None
    host = config["CONFIG"]["hosts"][0]
    return host["address"] if isinstance(host, dict) else str(host)


#: The watch of the running event loop, for the layer configured when it was built.
layer_watch: LoopLocal[LayerWatch | None] = LoopLocal(
    lambda: LayerWatch(url) if (url := layer_redis_url()) else None
)
