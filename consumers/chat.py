"""The chat socket: authenticate, validate, call one action, send what it returns.

Every state change goes through one ``database_sync_to_async`` call into
:mod:`messaging.actions`; frames are broadcast only after that call returned, i.e. after
the commit. Live ``message`` / ``message.update`` frames reach the client in strict
``seq`` order: a frame that arrives ahead of a gap is held back for a moment, because
concurrent sends commit in ``seq`` order but may reach the channel layer out of it; only a
gap still open after that (the layer dropped a frame) is replayed from the database.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable
from typing import Any, NoReturn

import redis.exceptions
from channels.db import database_sync_to_async
from django.db import InterfaceError, OperationalError

from consumers.dispatch import DirectDispatchConsumer
from consumers.layer_watch import layer_watch
from messaging import actions, frames, sending
from messaging.errors import Flooding, GatewayError, RateLimited
from messaging.limits import Limits
from messaging.ratelimit import RateLimiter
from messaging.serializers import Frame, error_frame, presence_frame
from models.conversation import conversation_group

logger = logging.getLogger(__name__)

CLOSE_NOT_AUTHENTICATED = 4401
CLOSE_IDLE = 4408
CLOSE_UNAVAILABLE = 4503  # a dependency is down: try again shortly (HTTP 503 in the 4xxx range)
# A bug of ours. Not 1011: autobahn (daphne) lets a server close only with 1000 or 3000-4999.
CLOSE_INTERNAL_ERROR = 4500

# What the Redis channel layer raises while Redis is unreachable. The socket cannot get live
# frames then, and Channels would end it with a bare 1011; it is closed with a reason instead.
LAYER_DOWN = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)
# What Django raises while the database is unreachable (or refuses work for a moment).
DATABASE_DOWN = (OperationalError, InterfaceError)


#: How long a socket holds frames that arrived ahead of a gap before replaying the gap from
#: the database. Frames of concurrent sends are usually only reordered by microseconds;
#: a frame the layer really dropped costs its receivers this much extra latency.
GAP_WAIT = 0.2
#: How long a closing socket waits for its sends in flight to be answered.
SEND_SETTLE_WAIT = 5.0


def relay_event(frame: Frame, *, skip: str | None = None) -> dict[str, Any]:
    """A channel-layer event relaying an unsequenced frame (typing, read, presence) to a
    conversation's sockets, except the ``skip`` channel; stamped with when it was sent."""
    return {"type": "chat.relay", "frame": frame, "skip": skip, "at": time.time()}


def user_group(user_id: int) -> str:
    """The group every socket of one user joins, on every process (used by moderation)."""
    return f"user.{user_id}"


class ChatConsumer(DirectDispatchConsumer):
    """One socket of one user in one conversation (``ws/chat/<conversation_id>/``)."""

    opened: actions.Opened | None = None
    watchdog: asyncio.Task | None = None
    gap_filler: asyncio.Task | None = None
    close_code_sent: int | None = None
    accepted = False
    #: The conversation's group and the user's, joined before admission.
    groups: tuple[str, ...] = ()

    # --- Lifecycle ---------------------------------------------------------------------------

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        try:
            await super().__call__(scope, receive, send)
        except LAYER_DOWN:
            # Messages are stored before they are acked, so nothing is lost: the client
            # reconnects (here or on another process) and resyncs with ``history``.
            logger.warning("channel layer unreachable; closing the socket with 4503")
            if not self.accepted:
                # The Pub/Sub layer subscribes a new socket's channel before Channels has
                # even stored ``send``; refused there, the client would see a bare HTTP 500.
                self.base_send = send
                await self.accept()
            await self.layer_down()
            await self.disconnect(CLOSE_UNAVAILABLE)

    async def layer_down(self) -> None:
        """Tell the client live delivery broke and close with 4503 (see layer_watch)."""
        if self.watchdog is not None:
            self.watchdog.cancel()
        if self.close_code_sent is None:
            detail = "live delivery is interrupted; reconnect shortly and resync with history"
            await self.refuse("unavailable", detail, CLOSE_UNAVAILABLE)

    async def connect(self) -> None:
        # Accept first: a close before accepting becomes an HTTP 403 at the handshake and
        # the client never sees the close code.
        await self.accept()
        self.accepted = True
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            detail = self.scope.get("auth_error", "log in or pass a valid ?ticket=")
            await self.refuse("not_authenticated", detail, CLOSE_NOT_AUTHENTICATED)
            return
        self.limits = Limits.from_settings()
        self.admitted_at = time.time()
        conversation_id = self.scope["url_route"]["kwargs"]["conversation_id"]
        # Join before the admission snapshot is read: a presence frame sent between that
        # read and a later join would reach neither. Frames queue until connect returns,
        # and are dropped unread if the socket is refused (``opened`` stays None).
        self.groups = (conversation_group(conversation_id), user_group(user.pk))
        await self.join_groups()
        try:
            self.opened = await database_sync_to_async(actions.open_connection)(
                user,
                conversation_id,
                ip=(self.scope.get("client") or [None])[0],
                user_agent=self._header(b"user-agent"),
                limits=self.limits,
            )
        except GatewayError as error:
            await self.refuse(error.code, error.detail, error.close_code)
            return
        except Exception:
            logger.exception("admitting user %s failed", user.pk)
            await self.refuse(
                "internal_error", "the server could not open the chat", CLOSE_INTERNAL_ERROR
            )
            return
        self.user = user
        self.delivered_seq = self.settled_seq = self.opened.last_seq
        #: Sequenced frames that arrived ahead of a gap, by ``seq``.
        self.ahead: dict[int, Frame] = {}
        self.delivery = asyncio.Lock()
        period = self.limits.rate_limit_period
        self.message_limiter = RateLimiter(self.limits.rate_limit_messages, period)
        self.frame_limiter = RateLimiter(self.limits.frame_rate_limit, period)
        self.refusal_limiter = RateLimiter(self.limits.rate_limit_refusals, period)
        self.last_activity = time.monotonic()
        #: Sends waiting for their ack, by client_id.
        self.in_flight: dict[str, asyncio.Task[None]] = {}
        if (watch := layer_watch.get()) is not None:
            watch.register(self)
        self.watchdog = asyncio.create_task(self.watch())
        for frame in self.opened.presence:
            await self.send_json(frame)
        online = presence_frame(self.opened.conversation_id, self.opened.user, "online")
        await self.relay(online, skip_self=True)

    async def disconnect(self, code: int) -> None:
        if self.watchdog is not None:
            self.watchdog.cancel()
        if self.gap_filler is not None:
            self.gap_filler.cancel()
        try:
            for group in self.groups:
                await self.channel_layer.group_discard(group, self.channel_name)
        except Exception:
            logger.exception("leaving the groups of channel %s failed", self.channel_name)
        if self.opened is None:
            return
        for task in self.in_flight.values():
            task.cancel()  # stored all the same (the batcher shields it); unacked here
        opened, self.opened = self.opened, None
        if (watch := layer_watch.get()) is not None:
            watch.unregister(self)
        if self.close_code_sent is None:  # else close() has logged the end already
            await self.log_end(opened, code)

    async def log_end(self, opened: actions.Opened, code: int | None) -> None:
        """Close the socket's connection log (once) and tell the others if the user left.

        Called as soon as the server closes a socket, not only when the client has
        finished the closing handshake: what reads the log (the connection cap, the
        flooding cool-down) must see the close before that client can reconnect.
        """
        try:
            offline = await database_sync_to_async(actions.close_connection)(opened.log_id, code)
            if offline is not None:
                await self.channel_layer.group_send(opened.group, relay_event(offline))
        except Exception:
            # The socket is gone either way; an unclosed log row stops counting after
            # three missed heartbeats.
            logger.exception("closing connection %s failed", opened.log_id)

    async def close(self, code: int | bool | None = None, reason: str | None = None) -> None:
        first = self.close_code_sent is None
        self.close_code_sent = self.close_code_sent or code
        await super().close(code=code, reason=reason)
        if first and self.opened is not None:
            await self.log_end(self.opened, self.close_code_sent)

    async def send(
        self, text_data: str | None = None, bytes_data: bytes | None = None, close: bool = False
    ) -> None:
        # Once our close frame is out, daphne refuses every send ("Attempt to send on a
        # closed protocol"): a live frame that reaches the socket while it closes (e.g. the
        # broadcast of a flooder's last allowed send) is dropped instead of crashing it.
        if self.close_code_sent is None:
            await super().send(text_data, bytes_data, close)

    async def send_json(self, content: Any, close: bool = False) -> None:
        # Channels' send_json calls the base class's send, which would skip the guard above.
        await self.send(text_data=await self.encode_json(content), close=close)

    async def refuse(self, code: str, detail: str, close_code: int) -> None:
        await self.send_json(error_frame(code, detail))
        await self.close(code=close_code)

    async def join_groups(self) -> None:
        for group in self.groups:
            await self.channel_layer.group_add(group, self.channel_name)

    async def watch(self) -> None:
        """Close the socket when idle; otherwise heartbeat the log, re-join the groups and
        catch up with the stored sequence.

        Re-joining is cheap and repairs a membership the layer expired (the in-memory
        layer drops a channel whose queued message outlived ``expiry``); the heartbeat
        keeps this socket counted against the user's connection cap; catching up delivers
        what the layer lost (:meth:`catch_up`).
        """
        next_heartbeat = time.monotonic() + self.limits.heartbeat_interval
        while True:
            now = time.monotonic()
            idle_deadline = self.last_activity + self.limits.idle_timeout
            if now >= idle_deadline:
                await self.refuse("idle", "closed after inactivity", CLOSE_IDLE)
                return
            if now >= next_heartbeat:
                next_heartbeat = now + self.limits.heartbeat_interval
                try:
                    stored_seq = await database_sync_to_async(actions.heartbeat)(
                        self.opened.log_id, self.opened.conversation_id
                    )
                    await self.join_groups()
                    # Only what was stored a whole interval ago: a frame of a busy process
                    # may still be on its way, and replaying it would be wasted reads.
                    await self.catch_up(self.settled_seq)
                    self.settled_seq = stored_seq
                except Exception:
                    logger.exception("heartbeat failed for connection %s", self.opened.log_id)
            await asyncio.sleep(min(idle_deadline, next_heartbeat) - now)

    # --- Client frames -----------------------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.opened is None or self.close_code_sent is not None:
            # Refused or closing: the close frame is on its way. Frames a flooder queued
            # before the close are dropped, not answered on a closed socket.
            return
        await self.answering(self.handle_frame(text_data))

    async def handle_frame(self, text_data: str | None) -> None:
        # Before parsing: a refused frame costs no JSON decoding.
        if not self.frame_limiter.allow():
            self.refuse_frame("too many frames; slow down")
        frame = frames.parse_frame(text_data, self.limits)
        self.last_activity = time.monotonic()
        if frame.writes and not self.message_limiter.allow():
            self.refuse_frame(
                f"at most {self.limits.rate_limit_messages} messages in "
                f"{self.limits.rate_limit_period:g} seconds; slow down"
            )
        handler = getattr(self, "on_" + frame.type.replace(".", "_"))
        await handler(frame)

    async def answering(self, handling: Awaitable[None]) -> None:
        """Await a frame's handling; what goes wrong is told to the client, not fatal.

        The channel layer being down is raised: the socket cannot be served live.
        """
        try:
            await handling
        except GatewayError as error:
            await self.send_json(error_frame(error.code, error.detail))
            if error.fatal:
                await self.close(code=error.close_code)
        except LAYER_DOWN:
            raise  # the socket cannot be served live: __call__ closes it with 4503
        except DATABASE_DOWN:
            # The action's transaction did not commit as far as we know; a resend with the
            # same client_id is idempotent, so the client can simply retry.
            logger.warning("database unavailable for a frame from user %s", self.user.pk)
            detail = "the message store is unavailable; not acknowledged, retry shortly"
            await self.send_json(error_frame("unavailable", detail))
        except Exception:
            # Nothing was stored half-way (actions are atomic); keep the socket usable.
            logger.exception("frame from user %s failed", self.user.pk)
            await self.send_json(
                error_frame("internal_error", "the server failed to handle this frame; retry")
            )

    def refuse_frame(self, detail: str) -> NoReturn:
        """Raise ``rate_limited``, or ``flooding`` once the socket ignored too many of them.

        A client briefly over its limit is only told to slow down; one that keeps sending
        after more than ``rate_limit_refusals`` refusals in the period would cost an answer
        per frame for as long as it likes, so it is closed (4429) and its queued frames are
        dropped unanswered (see ``receive``).
        """
        if not self.refusal_limiter.allow():
            limits = self.limits
            raise Flooding(
                f"more than {limits.rate_limit_refusals} frames refused in "
                f"{limits.rate_limit_period:g} seconds; closing the connection"
            )
        raise RateLimited(detail)

    async def on_message_send(self, frame: frames.SendFrame) -> None:
        """Hand the send to the batcher and go on: the ack is sent by a task of its own.

        Awaiting the ack here would stop this socket's dispatch for as long as the send
        waits for the database thread, and its live frames (other people's messages)
        would queue behind it: under load relays fell far behind acks and came in bursts.
        The message limiter bounds how many sends one socket has in flight.
        """
        request = actions.SendRequest(
            self.user, self.opened.conversation_id, frame.client_id, frame.text
        )
        task = asyncio.create_task(self.send_and_reply(request))
        self.in_flight[frame.client_id] = task

    async def send_and_reply(self, request: actions.SendRequest) -> None:
        async def store() -> None:
            # The batcher has broadcast the message already: only the replies are left.
            await self.reply(await sending.batcher.get().send(request))

        try:
            await self.answering(store())
        except LAYER_DOWN:
            # What __call__ does for a handler, for this task: close with 4503.
            logger.warning("channel layer unreachable; closing the socket with 4503")
            await self.layer_down()
        finally:
            if self.in_flight.get(request.client_id) is asyncio.current_task():
                del self.in_flight[request.client_id]

    async def on_message_edit(self, frame: frames.EditFrame) -> None:
        await self.publish(
            await database_sync_to_async(actions.edit_message)(
                self.user, self.opened.conversation_id, frame.id, frame.text, limits=self.limits
            )
        )

    async def on_message_delete(self, frame: frames.DeleteFrame) -> None:
        await self.publish(
            await database_sync_to_async(actions.delete_message)(
                self.user, self.opened.conversation_id, frame.id, limits=self.limits
            )
        )

    async def on_typing(self, frame: frames.TypingFrame) -> None:
        typing = {"type": "typing", "conversation": self.opened.conversation_id,
                  "user": self.opened.user}
        await self.relay(typing, skip_self=True)

    async def on_read(self, frame: frames.ReadFrame) -> None:
        read = await database_sync_to_async(actions.mark_read)(
            self.user, self.opened.conversation_id, frame.seq
        )
        if read is not None:
            await self.relay(read)

    async def on_history(self, frame: frames.HistoryFrame) -> None:
        await self.send_json(
            await database_sync_to_async(actions.history)(
                self.opened.conversation_id, frame.after_seq, frame.limit
            )
        )

    async def publish(self, outcome: actions.Outcome) -> None:
        """Send an action's broadcast to the conversation, then its replies to this socket.

        Broadcast first: should the layer fail, the client gets ``unavailable`` instead of
        an ack, and resends under the same ``client_id`` once reconnected (the message is
        stored; the resend only fetches its ack). This socket still sees its ack before its
        own broadcast, which waits in its queue until this handler returns.
        """
        if outcome.broadcast:
            await self.channel_layer.group_send(
                self.opened.group, {"type": "chat.sequenced", "frames": list(outcome.broadcast)}
            )
        await self.reply(outcome)

    async def reply(self, outcome: actions.Outcome) -> None:
        for frame in outcome.reply:
            await self.send_json(frame)

    async def relay(self, frame: Frame, *, skip_self: bool = False) -> None:
        """Broadcast an unsequenced frame (typing, read, presence)."""
        skip = self.channel_name if skip_self else None
        await self.channel_layer.group_send(
            self.opened.group, relay_event(frame, skip=skip)
        )

    # --- Channel-layer events ----------------------------------------------------------------

    async def chat_sequenced(self, event: dict[str, Any]) -> None:
        """Deliver ``message`` / ``message.update`` frames in ``seq`` order, filling gaps."""
        if self.opened is None:
            return
        # This socket's own message is acked before its broadcast reaches it, as when
        # the send held up dispatch: wait for those acks (they do not need dispatch).
        acking = [
            task
            for frame in event["frames"]
            if frame["type"] == "message"
            and frame["sender"]["id"] == self.user.pk
            and (task := self.in_flight.get(frame["client_id"])) is not None
        ]
        if acking:
            await asyncio.wait(acking)
        for frame in event["frames"]:
            if frame["seq"] > self.delivered_seq:
                self.ahead[frame["seq"]] = frame
        async with self.delivery:
            await self.deliver_in_order()
        if self.ahead and self.gap_filler is None:
            self.gap_filler = asyncio.create_task(self.fill_gap())

    async def deliver_in_order(self) -> None:
        """Send the held frames that continue the sequence; the caller holds ``delivery``."""
        while (frame := self.ahead.pop(self.delivered_seq + 1, None)) is not None:
            await self.send_json(frame)
            self.delivered_seq = frame["seq"]
        for seq in [seq for seq in self.ahead if seq <= self.delivered_seq]:
            del self.ahead[seq]  # delivered meanwhile by a replay

    async def fill_gap(self) -> None:
        """Replay from the database a gap the live frames did not fill within ``GAP_WAIT``."""
        try:
            while self.ahead:
                await asyncio.sleep(GAP_WAIT)
                async with self.delivery:
                    if self.ahead:
                        await self.replay_until(min(self.ahead))
        finally:
            self.gap_filler = None

    async def catch_up(self, last_seq: int) -> None:
        """Replay whatever was stored up to ``last_seq`` and never arrived live.

        The Redis Pub/Sub layer delivers at most once: a frame published while Redis or this
        process's subscription was down is gone, and when it was a conversation's last one,
        no later frame reveals the gap. Each heartbeat compares with the stored sequence
        read at the previous one.
        """
        async with self.delivery:
            if last_seq > self.delivered_seq:
                await self.replay_until(last_seq + 1)

    async def replay_until(self, before_seq: int) -> None:
        """Send the stored frames between ``delivered_seq`` and ``before_seq``, then what was
        held after them; the caller holds ``delivery``."""
        # A read, on a thread of its own: on the shared database thread it would queue
        # behind the very sends whose frames are late.
        replay = database_sync_to_async(actions.replay_between, thread_sensitive=False)
        missed = await replay(self.opened.conversation_id, self.delivered_seq, before_seq)
        for replayed in missed:
            if replayed["seq"] > self.delivered_seq:
                await self.send_json(replayed)
                self.delivered_seq = replayed["seq"]
        # The stored sequence has no holes: whatever the replay did not return was
        # delivered live meanwhile.
        self.delivered_seq = max(self.delivered_seq, before_seq - 1)
        await self.deliver_in_order()

    async def chat_relay(self, event: dict[str, Any]) -> None:
        if self.opened is None or event["skip"] == self.channel_name:
            return
        # The Pub/Sub layer matches a group message against a process's members when it
        # arrives, so a socket may get a frame published just before it joined; what
        # happened before admission is in the admission snapshot (presence) already.
        if event.get("at", self.admitted_at) < self.admitted_at:
            return
        await self.send_json(event["frame"])

    async def user_disconnect(self, event: dict[str, Any]) -> None:
        """Close this socket on request of the server (e.g. moderation suspends the user).

        ``{"type": "user.disconnect", "code": 4403, "frame": {...}}`` sent to
        :func:`user_group` reaches every socket of the user on every process.
        """
        # The sends in flight are answered first, as when a send held up dispatch: the
        # one that brought the suspension gets its ack and warning before the close.
        if self.opened is not None and self.in_flight:
            await asyncio.wait(list(self.in_flight.values()), timeout=SEND_SETTLE_WAIT)
        if event.get("frame"):
            await self.send_json(event["frame"])
        await self.close(code=event.get("code", 4403))

    async def user_frame(self, event: dict[str, Any]) -> None:
        """A frame for every socket of this user (e.g. a moderator's warning)."""
        if self.opened is not None:
            await self.send_json(event["frame"])

    def _header(self, name: bytes) -> str:
        for key, value in self.scope.get("headers", ()):
            if key == name:
                return value.decode("latin1")
        return ""


