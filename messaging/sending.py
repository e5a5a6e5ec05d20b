"""Group commit of a process's sends: the sockets' ``message.send`` frames share transactions.

Every database call of a Channels process runs on one thread. One transaction per message
costs a lock statement, an update and a commit each, so under load the thread, not the
CPU, caps what a process accepts, and every socket's send waits behind everyone's round
trips. The batcher queues the sends of all sockets of the process and hands the thread
whatever has piled up while the previous batch ran, to :func:`messaging.actions.send_messages`
in one transaction. Nothing waits on purpose: an idle process sends a batch of one at once,
a busy one batches exactly as much as it fell behind.

Each send still gets its own outcome (or its own refusal) after the commit and after its
frames were handed to the channel layer, so nothing is acknowledged before it is stored.
When a batch fails as a whole (a deadlock, a constraint, a dropped connection), it is
retried one send per transaction, so one bad send cannot take its neighbours' acks with it.

Several processes serve the same conversations (the two sides of a chat connect wherever
the load balancer sends them), so their batches share conversations. A batch does not
wait for a conversation another process's batch holds: it stores the rest and puts that
conversation's sends back at the head of the queue, and the next batch waits for it
(``wait_for`` of :func:`messaging.actions.send_messages`), so no conversation is put off
twice in a row. Waiting instead made the processes' batches take turns: each waited for
the other's commit (tens of milliseconds a batch under load), with one core idle.

With ``GATEWAY_SEND_THREADS`` above 1, conversations are split into that many shards, each
with its own queue and its own database thread (and connection). A conversation always
goes to the same shard, so its sends stay in order and two shards never wait for each
other's conversation locks; what one thread spends waiting on PostgreSQL round trips,
another spends working. That pays only where the threads wait on the network: on a busy
machine they run Python side by side and take the GIL from the event loop. With 1 (the
default), sends share Channels' database thread as every other call does.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from channels.db import DatabaseSyncToAsync, database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connections

from messaging import actions
from messaging.actions import Deferred, Outcome, SendRequest
from messaging.errors import GatewayError
from messaging.loop_local import LoopLocal
from models.conversation import conversation_group

logger = logging.getLogger(__name__)

#: Most sends in one transaction: it bounds how long the conversations stay locked and
#: how long the first send of a batch waits for the last.
MAX_BATCH = 64


@dataclass(slots=True)
class _Pending:
    request: SendRequest
    done: asyncio.Future[Outcome] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


#: Awaitable of send_messages' result, given the requests and ``wait_for``.
StoreBatch = Callable[[Sequence[SendRequest], frozenset[int] | None], Any]


class SendBatcher:
    """Queues sends and stores them in batches on database threads; one per event loop."""

    def __init__(self, max_batch: int = MAX_BATCH, threads: int | None = None) -> None:
        threads = settings.GATEWAY_SEND_THREADS if threads is None else threads
        self._executors = [
            ThreadPoolExecutor(1, thread_name_prefix=f"send-shard-{k}")
            for k in range(threads if threads > 1 else 0)
        ]
        self._shards = [
            _Shard(
                DatabaseSyncToAsync(_send_messages, thread_sensitive=False, executor=executor),
                max_batch,
            )
            for executor in self._executors
        ] or [_Shard(database_sync_to_async(_send_messages), max_batch)]

    async def send(self, request: SendRequest) -> Outcome:
        """Store ``request`` with whatever else is waiting; its outcome, or its error raised."""
        shard = self._shards[request.conversation_id % len(self._shards)]
        pending = _Pending(request)
        shard.queue.append(pending)
        if shard.worker is None:
            shard.worker = asyncio.create_task(shard.drain())
        # A socket closing mid-send cancels only its wait: the send is stored and acked to
        # nobody, as if the ack had been lost on the way; a resend gets the same ack.
        return await asyncio.shield(pending.done)

    async def close(self) -> None:
        """Close the send threads' database connections and end the threads."""
        loop = asyncio.get_running_loop()
        for executor in self._executors:
            await loop.run_in_executor(executor, connections.close_all)
            executor.shutdown()


def _send_messages(
    requests: Sequence[SendRequest], wait_for: frozenset[int] | None
) -> list[Outcome | GatewayError | Deferred]:
    # Looked up at each call, not bound once: tests and instrumentation replace it.
    return actions.send_messages(requests, wait_for=wait_for)


class _Shard:
    """The queue of some conversations' sends and the database thread that stores them."""

    def __init__(self, store: StoreBatch, max_batch: int) -> None:
        self.store = store
        self.max_batch = max_batch
        self.queue: list[_Pending] = []
        self.worker: asyncio.Task[None] | None = None

    async def drain(self) -> None:
        #: Conversations the previous batch skipped: this one waits for their locks.
        overdue: frozenset[int] = frozenset()
        try:
            while self.queue:
                batch = self.queue[: self.max_batch]
                del self.queue[: self.max_batch]
                deferred = await self._store(batch, overdue)
                self.queue[:0] = deferred  # ahead of their conversations' later sends
                overdue = frozenset(pending.request.conversation_id for pending in deferred)
        finally:
            self.worker = None

    async def _store(
        self, batch: list[_Pending], wait_for: frozenset[int] | None
    ) -> list[_Pending]:
        """Store ``batch`` and settle its sends; the deferred ones, in order, unsettled."""
        requests = [pending.request for pending in batch]
        try:
            outcomes = await self.store(requests, wait_for)
        except Exception as error:
            if len(batch) == 1:
                _settle(batch[0], error)
                return []
            logger.warning("a batch of %d sends failed (%r); one by one", len(batch), error)
            for pending in batch:
                await self._store([pending], None)
            return []
        deferred: list[_Pending] = []
        broadcast: list[tuple[_Pending, Outcome]] = []
        for pending, outcome in zip(batch, outcomes, strict=True):
            if isinstance(outcome, Deferred):
                deferred.append(pending)
            elif isinstance(outcome, Outcome) and outcome.broadcast:
                broadcast.append((pending, outcome))
            else:
                _settle(pending, outcome)
        if broadcast:
            _broadcast(broadcast)
        return deferred


def _broadcast(stored: list[tuple[_Pending, Outcome]]) -> None:
    """Publish stored sends' frames, then settle them (each ack follows its broadcast).

    Published here, in the order the batch stored them, not by each socket's task when it
    next runs: on a busy loop those tasks wake in any order, receivers then see ``seq``
    gaps and, after waiting, replay them from the database. The batch goes out as one
    pipeline where the layer offers ``group_send_many`` (chatgateway/pubsub.py), else one
    ``group_send`` after the other; either way in order, behind earlier batches
    (channels-redis holds a FIFO lock per connection). The next batch is stored meanwhile.
    A failed publish reaches the senders as their error, as a ``group_send`` of their own
    would.
    """
    sends = [
        (
            conversation_group(pending.request.conversation_id),
            {"type": "chat.sequenced", "frames": list(outcome.broadcast)},
        )
        for pending, outcome in stored
    ]
    publishing = asyncio.ensure_future(_group_send_many(get_channel_layer(), sends))

    def published(task: asyncio.Future[None]) -> None:
        error = asyncio.CancelledError() if task.cancelled() else task.exception()
        for pending, outcome in stored:
            _settle(pending, error or outcome)

    publishing.add_done_callback(published)


async def _group_send_many(layer: Any, sends: list[tuple[str, dict[str, Any]]]) -> None:
    send_many = getattr(layer, "group_send_many", None)
    if send_many is not None and len(sends) > 1:  # one send: a pipeline only costs more
        await send_many(sends)
        return
    # All started now, in order: they queue on the layer's lock ahead of the next batch's.
    await asyncio.gather(*(layer.group_send(group, event) for group, event in sends))


def _settle(pending: _Pending, outcome: Outcome | BaseException) -> None:
    if pending.done.done():
        return
    if isinstance(outcome, BaseException):
        pending.done.set_exception(outcome)
    else:
        pending.done.set_result(outcome)


#: The batcher of the running event loop: ``batcher.get()``.
batcher: LoopLocal[SendBatcher] = LoopLocal(SendBatcher)
