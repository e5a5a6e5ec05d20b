"""The moderators' live feed (``ws/moderation/``): the open queue, then each new flag
and appeal as it happens.

Services publish to :data:`moderation.notify.FEED_GROUP` after their commit; this socket
admits moderators only, sends a snapshot of the queue, and relays. It takes no commands:
actions go through the JSON API, which checks and audits them.
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from consumers.chat import CLOSE_NOT_AUTHENTICATED
from messaging.serializers import error_frame
from moderation.notify import CLOSE_FORBIDDEN, FEED_GROUP

#: Cases in the snapshot a feed starts with; the JSON API pages through the rest.
SNAPSHOT_SIZE = 100


class ModerationFeedConsumer(AsyncJsonWebsocketConsumer):
    joined = False

    async def connect(self) -> None:
        await self.accept()  # then close with a code the client can read
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.refuse("not_authenticated", "log in first", CLOSE_NOT_AUTHENTICATED)
            return
        if not user.is_moderator:
            await self.refuse("not_moderator", "only moderators may open this feed",
                              CLOSE_FORBIDDEN)
            return
        # Join before reading the snapshot, so a flag committed in between is not lost
        # (it may arrive twice; clients key cases by id).
        await self.channel_layer.group_add(FEED_GROUP, self.channel_name)
        self.joined = True
        await self.send_json({"type": "queue", "cases": await database_sync_to_async(_snapshot)()})

    async def disconnect(self, code: int) -> None:
        if self.joined:
            await self.channel_layer.group_discard(FEED_GROUP, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        await self.send_json(
            error_frame("read_only", "this feed takes no frames; act through the JSON API")
        )

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        # Any frame, even invalid JSON, gets the same answer instead of a crash.
        await self.receive_json(None)

    async def refuse(self, code: str, detail: str, close_code: int) -> None:
        await self.send_json(error_frame(code, detail))
        await self.close(code=close_code)

    async def feed_frame(self, event: dict[str, Any]) -> None:
        await self.send_json(event["frame"])


def _snapshot() -> list[dict]:
    from models import Case, CaseStatus
    from moderation.services import case_payload

    cases = Case.objects.filter(status=CaseStatus.OPEN, flagged_at__isnull=False).select_related(
        "user"
    )[:SNAPSHOT_SIZE]
    return [case_payload(case) for case in cases]
