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
Every operation is one round trip.

The gateway serialises a conversation's sends under its row lock, so reads and writes
for one key never interleave. When Redis cannot be reached the window degrades instead
of failing the send: a warning is logged, and for the next ``retry_after`` seconds
messages are judged on their own (an empty window) and what they would have written is
lost. No Django here: the store only needs the engine and a Redis client.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Callable
from itertools import dropwhile
from typing import TypeVar
from urllib.parse import quote

import redis
from redis.backoff import NoBackoff
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

    def recent(self, key: WindowKey, now: float) -> list[Entry]:
        if self._size == 1:
            return []
        name = self._key(key)
        items = self._run("read", key, lambda: self._redis.lrange(name, 1 - self._size, -1))
        try:
            entries = [_load(item) for item in items or ()]
        except ValueError as error:
            logger.warning("split-message window in Redis: %s; reading it as empty", error)
            return []
        return list(dropwhile(lambda entry: entry.timestamp < now - self._ttl, entries))

    def add(self, key: WindowKey, entry: Entry) -> None:
        args = [_dump(entry), self._size, self._ttl_ms, int(entry.fragment is not None)]
        self._run("add", key, lambda: self._add(keys=[self._key(key)], args=args))

    def amend(self, key: WindowKey, message_id: str, findings: tuple[Finding, ...]) -> None:
        args = [_line(message_id), _line(findings_to_data(findings))]
        self._run("amend", key, lambda: self._change(keys=[self._key(key)], args=args))

    def forget(self, key: WindowKey, message_id: str) -> None:
        args = [_line(message_id)]
        self._run("forget", key, lambda: self._change(keys=[self._key(key)], args=args))

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
