"""The floor under the relay figures: daphne, Channels and the channel layer, none of our work.

``python -m bench.loadgen --floor`` serves this application instead of the gateway. It keeps
the gateway's HTTP side (so the generator logs in and lists conversations as usual) and the
wire protocol the generator speaks, but a chat socket does only what any relay must: take a
``message.send``, number it in its conversation, acknowledge it and publish it to the
conversation's group. No database on the send path, no redaction, no moderation, no
ordering or gap repair. What the generator measures against it is what this machine gives
daphne + Channels + the layer + the generator itself, so the gateway's own figures can be
read against it: a rate the floor cannot carry with p99 < 100 ms, the gateway cannot either.

Numbers come from Redis (``INCR``, shared by every process) when ``REDIS_URL`` is set, else
from a counter of this process. Not for production: no participant check, no limits.
"""

from __future__ import annotations

import itertools
import os
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chatgateway.settings")

from django.core.asgi import get_asgi_application

http_application = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402
from django.urls import path  # noqa: E402

from consumers.dispatch import DirectDispatchConsumer  # noqa: E402
from models.conversation import conversation_group  # noqa: E402


class Numbering:
    """Sequence numbers per conversation: Redis when the processes share one, else local."""

    def __init__(self, redis_url: str) -> None:
        self._redis: Any = None
        self._redis_url = redis_url
        self._local: defaultdict[int, Iterator[int]] = defaultdict(lambda: itertools.count(1))

    async def next(self, conversation_id: int) -> int:
        if not self._redis_url:
            return next(self._local[conversation_id])
        if self._redis is None:  # made on first use: the client belongs to daphne's loop
            import redis.asyncio

            self._redis = redis.asyncio.Redis.from_url(self._redis_url)
        key = f"{settings.CHANNEL_LAYER_PREFIX}:floor:{conversation_id}"
        return int(await self._redis.incr(key))


numbering = Numbering(settings.REDIS_URL)


class FloorConsumer(DirectDispatchConsumer):
    """Number, acknowledge and publish every ``message.send``; nothing else.

    It dispatches as the chat socket does (no database hop per handler), so the floor
    holds only what the gateway cannot avoid.
    """

    async def connect(self) -> None:
        if not self.scope["user"].is_authenticated:
            await self.close(code=4401)
            return
        self.conversation_id = int(self.scope["url_route"]["kwargs"]["conversation_id"])
        self.group = conversation_group(self.conversation_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "history":  # the floor stores nothing: an empty, final page
            await self.send_json({"type": "history", "messages": [], "has_more": False})
            return
        if kind != "message.send":
            await self.send_json({"type": "error", "code": "bad_frame", "message": "not relayed"})
            return
        seq = await numbering.next(self.conversation_id)
        # Unique across conversations without a database: the sequence number leads.
        message_id = seq * 1_000_000 + self.conversation_id
        client_id = content.get("client_id")
        await self.send_json(
            {"type": "message.ack", "client_id": client_id, "id": message_id, "seq": seq}
        )
        frame = {
            "type": "message",
            "conversation": self.conversation_id,
            "id": message_id,
            "seq": seq,
            "client_id": client_id,
            "sender": self.scope["user"].pk,
            "text": content.get("text", ""),
        }
        await self.channel_layer.group_send(self.group, {"type": "floor.message", "frame": frame})

    async def floor_message(self, event: dict[str, Any]) -> None:
        await self.send_json(event["frame"])


application = ProtocolTypeRouter(
    {
        "http": http_application,
        "websocket": AuthMiddlewareStack(
            URLRouter([path("ws/chat/<int:conversation_id>/", FloorConsumer.as_asgi())])
        ),
    }
)
