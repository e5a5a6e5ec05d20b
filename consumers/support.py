"""Support feeds: the agent console (``ws/support/console/``) and the user's feed
(``ws/support/``).

Chat itself happens on the gateway's chat socket; these sockets carry the workflow: the
live queue and an agent's own chats, a waiting user's place in the queue, an agent joining
or leaving. Services publish to the groups after their commit (:mod:`support.notify`);
a consumer here only admits, sends a snapshot, relays, and turns console frames into one
service call each.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from consumers.chat import CLOSE_NOT_AUTHENTICATED
from messaging import actions
from messaging.errors import FrameError, GatewayError
from messaging.serializers import Frame, error_frame
from models import SupportStatus, User
from support import notify, services

logger = logging.getLogger(__name__)

#: Console frames are small; anything bigger is refused before parsing.
MAX_FRAME_BYTES = 4096

#: Grace-period timers still running; kept so they are not garbage-collected mid-sleep
#: (and so tests can wait for them).
pending_requeues: set[asyncio.Task] = set()


class SupportSocket(AsyncJsonWebsocketConsumer):
    """What both feeds share: authentication, groups, the snapshot, frame parsing."""

    groups_joined: tuple[str, ...] = ()
    user: User | None = None

    async def connect(self) -> None:
        await self.accept()  # then close with a code the client can read
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            detail = self.scope.get("auth_error", "log in or pass a valid ?ticket=")
            await self.refuse("not_authenticated", detail, CLOSE_NOT_AUTHENTICATED)
            return
        try:
            snapshot = await database_sync_to_async(self.admit)(user)
        except GatewayError as error:
            await self.refuse(error.code, error.detail, error.close_code)
            return
        self.user = user
        self.groups_joined = self.feed_groups(user)
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.send_json(snapshot)

    async def refuse(self, code: str, detail: str, close_code: int) -> None:
        await self.send_json(error_frame(code, detail))
        await self.close(code=close_code)

    async def disconnect(self, code: int) -> None:
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)

    def admit(self, user: User) -> Frame:
        """Check the user may open this feed (raise why not); the snapshot frame."""
        raise NotImplementedError

    def feed_groups(self, user: User) -> tuple[str, ...]:
        raise NotImplementedError

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.user is None:
            return
        try:
            frame = parse(text_data)
            handler = getattr(self, "on_" + frame["type"], None)
            if handler is None:
                raise FrameError(f"unknown frame type {frame['type']!r}", code="unknown_type")
            await handler(frame)
        except GatewayError as error:
            await self.send_json(error_frame(error.code, error.detail))
        except Exception:
            logger.exception("support frame from user %s failed", self.user.pk)
            await self.send_json(error_frame("internal_error", "the server failed; retry"))

    async def support_frame(self, event: dict[str, Any]) -> None:
        await self.send_json(event["frame"])


def parse(text: str | None) -> dict[str, Any]:
    """A console frame as a JSON object with a string ``type``, or :class:`FrameError`."""
    if text is None:
        raise FrameError("send JSON text frames", code="binary_not_supported")
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FRAME_BYTES:
        raise FrameError(f"frames are at most {MAX_FRAME_BYTES} bytes", code="frame_too_large")
    try:
        frame = json.loads(text)
    except ValueError:
        raise FrameError("frame is not valid JSON", code="invalid_json") from None
    if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
        raise FrameError("a frame is a JSON object with a 'type'", code="invalid_json")
    return frame


class SupportFeedConsumer(SupportSocket):
    """A user's support feed: their open chat's place in the queue, agents joining and
    leaving, closing. Read-only: the user writes on the chat socket."""

    def admit(self, user: User) -> Frame:
        chats = [
            services.chat_payload(chat, services.queue_spot(chat))
            for chat in services.chats_for(user)
            if chat.user_id == user.pk and chat.status != SupportStatus.CLOSED
        ]
        return {"type": "support.snapshot", "chats": chats}

    def feed_groups(self, user: User) -> tuple[str, ...]:
        return (notify.user_group(user.pk),)


class AgentConsoleConsumer(SupportSocket):
    """An agent's console: the live queue, their own chats and status; claims and presence.

    An open console is the agent being connected. When the agent's last socket goes, a
    timer of ``SUPPORT_REQUEUE_GRACE`` seconds starts; if they are not back by then their
    chats return to the queue and the users are told. The console's heartbeat runs the
    same sweep, which catches agents whose process died with the timer.
    """

    log_id: int | None = None
    heartbeat: asyncio.Task | None = None

    def admit(self, user: User) -> Frame:
        self.log_id = services.console_opened(
            user,
            ip=(self.scope.get("client") or [None])[0],
            user_agent=dict(self.scope.get("headers", ())).get(b"user-agent", b"").decode(
                "latin1"
            ),
        )
        status = services.agent_status(user)
        return {
            "type": "support.snapshot",
            "status": services.status_payload(status),
            "queue": [services.queue_summary(chat) for chat in services.queue()],
            "chats": [
                services.chat_payload(chat)
                for chat in services.chats_for(user)
                if chat.agent_id == user.pk and chat.status == SupportStatus.ACTIVE
            ],
            "canned": services.canned_replies(),
        }

    def feed_groups(self, user: User) -> tuple[str, ...]:
        return (notify.QUEUE_GROUP, notify.agent_group(user.pk))

    async def connect(self) -> None:
        await super().connect()
        if self.user is not None:
            self.heartbeat = asyncio.create_task(self.beat())

    async def disconnect(self, code: int) -> None:
        await super().disconnect(code)
        if self.heartbeat is not None:
            self.heartbeat.cancel()
        if self.log_id is None:
            return
        await database_sync_to_async(services.console_closed)(self.log_id)
        self.log_id = None
        task = asyncio.create_task(requeue_after(settings.SUPPORT_REQUEUE_GRACE))
        pending_requeues.add(task)
        task.add_done_callback(pending_requeues.discard)

    async def beat(self) -> None:
        while True:
            await asyncio.sleep(settings.GATEWAY_HEARTBEAT_INTERVAL)
            try:
                await database_sync_to_async(actions.heartbeat)(self.log_id)
                await database_sync_to_async(services.requeue_abandoned)()
            except Exception:
                logger.exception("support console heartbeat failed for %s", self.log_id)

    async def on_presence(self, frame: dict[str, Any]) -> None:
        """``{"type": "presence", "status": "online" | "away" | "offline"}``"""
        status = frame.get("status")
        if not isinstance(status, str):
            raise FrameError("field 'status' must be a string", code="invalid_field")
        await database_sync_to_async(services.set_presence)(self.user, status)

    async def on_claim(self, frame: dict[str, Any]) -> None:
        """``{"type": "claim", "chat": id}``; the result comes as ``support.chat.assigned``."""
        chat = frame.get("chat")
        if type(chat) is not int:
            raise FrameError("field 'chat' must be a chat id", code="invalid_field")
        await database_sync_to_async(services.claim)(self.user, chat)


async def requeue_after(grace: float) -> None:
    """After the grace period, requeue the chats of agents still disconnected."""
    await asyncio.sleep(grace + 0.05)
    try:
        await database_sync_to_async(services.requeue_abandoned)()
    except Exception:
        logger.exception("requeueing after an agent disconnected failed")
