"""A chat device that survives faults the way the protocol tells a client to.

It keeps the transcript by ``seq`` from live frames and ``history``, resends an unacknowledged
message with the *same* ``client_id`` after reconnecting (the server's idempotency makes that
safe), and can tell whether every acknowledged message is in its transcript exactly once.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import psycopg
from websockets.exceptions import ConnectionClosed

from bench.client import Session
from tests.e2e.conftest import Chat

HISTORY_PAGE = 200


class Peer:
    """One user's device in one conversation, across reconnects."""

    def __init__(
        self,
        session: Session,
        conversation: int,
        open_chat: Callable[..., Awaitable[Chat]],
    ):
        self.session = session
        self.conversation = conversation
        self.open_chat = open_chat
        self.chat: Chat | None = None
        self.transcript: dict[int, int] = {}  # seq → message id, live and from history
        self.acked: dict[str, dict[str, Any]] = {}  # client_id → message.ack
        self.live_duplicates = 0  # a message delivered twice live on one socket
        self.errors: list[dict[str, Any]] = []
        self.chats: list[Chat] = []  # every socket this device opened, dead ones too

    @property
    def last_seq(self) -> int:
        return max(self.transcript, default=0)

    async def connect(self, url: str) -> None:
        """Open a socket on the process at ``url`` and fetch what was missed meanwhile."""
        self.chat = await self.open_chat(self.session.on(url), self.conversation)
        self.chats.append(self.chat)
        await self.resync()

    async def reconnect(self, url: str, patience: float = 30) -> None:
        """Connect to ``url`` again and again (a client's backoff) until a socket stays open."""
        deadline = time.monotonic() + patience
        while True:
            try:
                return await self.connect(url)
            except (ConnectionClosed, OSError):
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.5)

    async def talk(self, name: str, count: int, fallback_url: str) -> None:
        """Send ``count`` messages one after another, surviving whatever happens to the server.

        A send whose socket dies before its ack is resent under the same ``client_id`` after
        reconnecting: it may or may not have been stored, and only the server knows.
        """
        pending: str | None = None
        sent = 0
        while sent < count:
            client_id = pending or uuid.uuid4().hex
            try:
                await self.send(f"{name} says {sent}", client_id)
            except ConnectionClosed:
                pending = client_id
                await self.reconnect(fallback_url)
                continue
            pending = None
            sent += 1
            await asyncio.sleep(0.02)

    async def resync(self) -> None:
        while True:
            await self.chat.send("history", after_seq=self.last_seq, limit=HISTORY_PAGE)
            page = await self.chat.expect("history", timeout=15)
            for item in page["messages"]:
                if item["type"] == "message":
                    self._record(item)
            if not page["has_more"]:
                return

    def _record(self, frame: dict[str, Any]) -> None:
        known = self.transcript.setdefault(frame["seq"], frame["id"])
        assert known == frame["id"], f"seq {frame['seq']} is message {known} and {frame['id']}"

    async def send(self, text: str, client_id: str | None = None, timeout: float = 15) -> str:
        """Send and wait for the ack; :class:`ConnectionClosed` if the socket dies first."""
        client_id = client_id or uuid.uuid4().hex
        await self.chat.send_message(text, client_id)
        ack = await self.chat.expect("message.ack", timeout=timeout, client_id=client_id)
        self.acked[client_id] = ack
        return client_id

    async def settle(self, quiet: float = 1.5) -> None:
        """Take in every frame still on its way, then close the books on this socket."""
        await self.chat.drain(quiet)
        self.collect()

    def collect(self) -> None:
        """Fold every socket's live frames into the transcript (also of dead sockets)."""
        self.live_duplicates = 0
        self.errors = []
        for chat in self.chats:
            live = [f for f in chat.received if f.get("type") == "message"]
            for frame in live:
                self._record(frame)
            counts = Counter(f["id"] for f in live)
            self.live_duplicates += sum(n - 1 for n in counts.values())
            self.errors += [f for f in chat.received if f.get("type") == "error"]

    def missing(self, acked: dict[str, dict[str, Any]]) -> set[int]:
        """Ids of acknowledged messages absent from this device's transcript."""
        return {ack["id"] for ack in acked.values()} - set(self.transcript.values())

    def duplicated(self) -> list[int]:
        """Message ids that sit at two ``seq`` in the transcript (never allowed)."""
        counts = Counter(self.transcript.values())
        return [i for i, n in counts.items() if n > 1]


async def wait_closed(chat: Chat, timeout: float = 10) -> int | None:
    """The close code once the server (or its death) closed ``chat``."""
    return await asyncio.wait_for(chat.close_code(timeout), timeout + 1)


def stored(database_url: str, conversation: int) -> tuple[int, int]:
    """Messages stored in ``conversation``, and how many distinct ``client_id`` they carry."""
    with psycopg.connect(database_url) as conn:
        return conn.execute(
            "SELECT count(*), count(DISTINCT client_id) FROM gateway_message"
            " WHERE conversation_id = %s",
            (conversation,),
        ).fetchone()
