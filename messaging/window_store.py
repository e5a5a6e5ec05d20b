"""The engine's split-message window in Redis, shared by every gateway process.

A sender whose sockets land on different daphne processes sends one conversation's
messages through different engines; with the window in Redis, each engine sees the
sender's recent fragments wherever they were sent, so ``98765`` sent through one process
and ``43210`` through another are joined and the first is masked retroactively.

One Redis list per (conversation, sender), ``<prefix>:<conversation>:<sender>`` (both
percent-quoted, so a ``:`` in either cannot make two keys meet), holds the last
``window_messages`` entries, oldest first, and expires ``window_seconds`` after the last
message. Each list item is three JSON lines (the message id; the timestamp and the text,
kept for fragments only; the findings): plain data from
:func:`redaction.window.entry_to_data`, never pickle, and the id on a line of its own lets
a server-side script amend or drop the entries of one message without decoding them.
Every operation is one round trip; inside :meth:`RedisWindow.batched` (a group commit of
sends) writes wait and go out together with the next read or at the end of the block.

The gateway serialises a conversation's sends under its row lock, so reads and writes
for one key never interleave. When Redis cannot be reached the window degrades instead
of failing the send: a warning is logged, and for the next ``retry_after`` seconds
messages are judged on their own (an empty window) and what they would have written is
lost. No Django here: the store only needs the engine and a Redis client.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import threading
import time
from collections.abc import Callable, Iterator
from itertools import dropwhile
from typing import TypeVar
from urllib.parse import quote

import redis
from redis.backoff import NoBackoff
from redis.commands.core import Script
from redis.retry import Retry

from redaction.config import RedactorConfig
from redaction.types import Finding
from redaction.window import (
    Entry,
    WindowKey,
    entry_from_data,
    entry_to_data,
    findings_to_data,
)

logger = logging.getLogger(__name__)

#: Seconds a window operation may wait for Redis: it runs while the send holds the
#: conversation's row lock, and a message judged alone is better than a stalled chat.
DEFAULT_TIMEOUT = 0.5
#: Seconds the store leaves Redis alone after a failure.
DEFAULT_RETRY_AFTER = 1.0

T = TypeVar("T")
#: A command waiting in :meth:`RedisWindow.batched`: queues itself on a pipeline (or runs on
#: the client), and the window key it is for.
_Held = tuple[Callable[[redis.Redis], object], WindowKey]

# Writes are Lua scripts: one command each (a MULTI/EXEC pipeline took twice as long), run
# atomically. _ADD's ARGV: the item, window_messages, the expiry in ms, 1 for a fragment or
# 0 for prose. Prose only matters as the end of an attempt under way: without a list there
# is none, so senders who write prose alone cost no key at all.
_ADD = """
local pushed
if ARGV[4] == '1' then
  pushed = redis.call('RPUSH', KEYS[1], ARGV[1])
else
  pushed = redis.call('RPUSHX', KEYS[1], ARGV[1])
end
if pushed > 0 then
  redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
end
"""
# ARGV[1]: the id line of the message whose items change; ARGV[2]: their new findings
# line (amend) or nothing (forget: the items go).
_CHANGE = """
local items = redis.call('LRANGE', KEYS[1], 0, -1)
for i, item in ipairs(items) do
  local first = string.find(item, '\\n', 1, true)
  if first and string.sub(item, 1, first - 1) == ARGV[1] then
    if ARGV[2] then
      local second = string.find(item, '\\n', first + 1, true)
      redis.call('LSET', KEYS[1], i - 1, string.sub(item, 1, second) .. ARGV[2])
    else
      redis.call('LREM', KEYS[1], 0, item)
    end
  end
end
"""


class RedisWindow:
    """A :class:`redaction.window.WindowStore` in Redis, bounded like the in-memory one
    in entries per sender and age; Redis's key expiry replaces the in-memory LRU.

    After a failed operation the store leaves Redis alone for ``retry_after`` seconds
    (the window is empty, writes are dropped): a hung server then costs one timeout per
    pause instead of one per operation, while sends wait on the conversation's lock.
    """

    def __init__(
        self,
        client: redis.Redis,
        config: RedactorConfig,
        *,
        prefix: str,
        retry_after: float = DEFAULT_RETRY_AFTER,
    ) -> None:
        self._redis = client
        self._size = max(1, config.window_messages)
        self._ttl = config.window_seconds
        self._ttl_ms = max(1, math.ceil(config.window_seconds * 1000))
        self._prefix = prefix
        self._retry_after = retry_after
        self._down_until = 0.0
        self._add = client.register_script(_ADD)
        self._change = client.register_script(_CHANGE)
        # Writes held by batched(), per thread: each thread stores its own transactions.
        self._held = threading.local()

    @classmethod
    def from_url(
        cls, url: str, config: RedactorConfig, *, prefix: str, timeout: float = DEFAULT_TIMEOUT
    ) -> RedisWindow:
        """A store on its own client.

        A connection Redis closed (a restart) is renewed by one immediate retry; a timeout
        is not retried, so a hung server costs one ``timeout`` before the pause.
        """
        client = redis.Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout,
            retry=Retry(NoBackoff(), 1, supported_errors=(redis.ConnectionError,)),
        )
        return cls(client, config, prefix=prefix)

    @contextlib.contextmanager
    def batched(self) -> Iterator[None]:
        """Hold this thread's writes until the block ends, then send them in one pipeline.

        A read in the block sends the held writes first, in the same pipeline, so it sees
        them. Most messages are prose, whose only operation is a write: a batch of sends
        then costs one round trip instead of one per message. The caller must end the
        block while it still holds the conversations' locks (inside the transaction), so
        another process reading a window afterwards sees its writes. Nested blocks join
        the outermost one.
        """
        if getattr(self._held, "writes", None) is not None:
            yield
            return
        self._held.writes = []
        try:
            yield
        finally:
            writes, self._held.writes = self._held.writes, None
            if writes:
                # One write alone (an idle process's batch of one) needs no pipeline.
                (queue, key), *more = writes
                if more:
                    self._run("write", key, lambda: self._pipeline(writes))
                else:
                    self._run("write", key, lambda: queue(self._redis))

    def recent(self, key: WindowKey, now: float) -> list[Entry]:
        if self._size == 1:
            return []
        name = self._key(key)
        writes = self._take_held()
        if writes:
            # The held writes first: this read must see them.
            def read(pipe: redis.Redis) -> None:
                pipe.lrange(name, 1 - self._size, -1)

            answers = self._run("read", key, lambda: self._pipeline([*writes, (read, key)]))
            items = answers[-1] if answers else None
        else:
            items = self._run("read", key, lambda: self._redis.lrange(name, 1 - self._size, -1))
        try:
            entries = [_load(item) for item in items or ()]
        except ValueError as error:
            logger.warning("split-message window in Redis: %s; reading it as empty", error)
            return []
        return list(dropwhile(lambda entry: entry.timestamp < now - self._ttl, entries))

    def add(self, key: WindowKey, entry: Entry) -> None:
        args = [_dump(entry), self._size, self._ttl_ms, int(entry.fragment is not None)]
        self._write("add", key, self._add, args)

    def amend(self, key: WindowKey, message_id: str, findings: tuple[Finding, ...]) -> None:
        args = [_line(message_id), _line(findings_to_data(findings))]
        self._write("amend", key, self._change, args)

    def forget(self, key: WindowKey, message_id: str) -> None:
        args = [_line(message_id)]
        self._write("forget", key, self._change, args)

    def _write(self, operation: str, key: WindowKey, script: Script, args: list) -> None:
        """Run a write script now, or hold it when inside :meth:`batched`."""
        keys = [self._key(key)]
        writes = getattr(self._held, "writes", None)
        if writes is None:
            self._run(operation, key, lambda: script(keys=keys, args=args))
        else:
            # EVAL, not the script's EVALSHA: a pipeline holding Script calls first asks
            # Redis whether the scripts exist, one more round trip per pipeline. Redis
            # keeps the compiled script by its hash, so only the text travels again.
            source = script.script
            writes.append((lambda client: client.eval(source, len(keys), *keys, *args), key))

    def _take_held(self) -> list[_Held]:
        writes = getattr(self._held, "writes", None)
        if not writes:
            return []
        self._held.writes = []
        return writes

    def _pipeline(self, commands: list[_Held]) -> list:
        """Queue ``commands`` on one pipeline (no MULTI: each script is atomic already)."""
        with self._redis.pipeline(transaction=False) as pipe:
            for queue, _ in commands:
                queue(pipe)
            return pipe.execute()

    def _key(self, key: WindowKey) -> str:
        conversation, sender = key
        return f"{self._prefix}:{quote(conversation, safe='')}:{quote(sender, safe='')}"

    def _run(self, operation: str, key: WindowKey, command: Callable[[], T]) -> T | None:
        """``command()``'s answer; ``None`` when Redis fails now or failed moments ago."""
        if time.monotonic() < self._down_until:
            return None
        try:
            return command()
        except redis.RedisError as error:
            self._down_until = time.monotonic() + self._retry_after
            logger.warning(
                "split-message window in Redis: %s for conversation %s, sender %s failed (%s);"
                " messages are judged on their own for %g s", operation, key[0], key[1], error,
                self._retry_after,
            )
            return None


def _line(value: object) -> str:
    # Compact and ASCII-only: JSON escapes every newline, so the item's lines stay three.
    return json.dumps(value, separators=(",", ":"))


def _dump(entry: Entry) -> str:
    data = entry_to_data(entry)
    lines = (data["id"], [data["ts"], data["text"]], data["findings"])
    return "\n".join(_line(line) for line in lines)


def _load(item: bytes) -> Entry:
    try:
        message_id, head, findings = item.decode().split("\n")
        timestamp, text = json.loads(head)
        data = {"id": json.loads(message_id), "ts": timestamp, "text": text,
                "findings": json.loads(findings)}
    except (ValueError, TypeError) as error:  # JSON, UTF-8, unpacking
        raise ValueError(f"malformed window item {item[:200]!r}: {error}") from None
    return entry_from_data(data)
