"""Group messages sent from synchronous code (services running on the database thread).

``async_to_sync(layer.group_send)`` called on Channels' database thread hands the send to
the event loop and blocks the thread until Redis has answered. That thread stores every
socket's messages, so each moderation or support notification held up everyone's sends
by a round trip through a busy loop. When the caller runs under ``sync_to_async`` (a
consumer's action), the send is scheduled on the loop and the thread goes on; the loop
runs scheduled sends in order. Elsewhere (management commands, tests, WSGI) it blocks as
before, since nothing else would run the loop.
"""

from __future__ import annotations

import asyncio
import logging
import os
from concurrent.futures import Future
from typing import Any

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)


def group_send(group: str, event: dict[str, Any]) -> None:
    """Send ``event`` to ``group`` from synchronous code, without waiting when possible."""
    layer = get_channel_layer()
    loop = _calling_loop()
    if loop is None:
        async_to_sync(layer.group_send)(group, event)
        return
    future = asyncio.run_coroutine_threadsafe(layer.group_send(group, event), loop)
    future.add_done_callback(_log_failure)


def _calling_loop() -> asyncio.AbstractEventLoop | None:
    """The running event loop that called into this thread with ``sync_to_async``."""
    local = SyncToAsync.threadlocal
    if getattr(local, "main_event_loop_pid", None) != os.getpid():
        return None
    loop = getattr(local, "main_event_loop", None)
    return loop if loop is not None and loop.is_running() else None


def _log_failure(future: Future) -> None:
    if not future.cancelled() and future.exception() is not None:
        # Live delivery only: the state behind the notification is committed, and clients
        # catch up from the database (history, heartbeats, feeds reloading).
        logger.warning("a group message was not sent: %r", future.exception())
