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
of failing the send: a warning is logged, the message is judged on its own (an empty
window) and what it would have written is lost. No Django here: the store only needs the
engine and a Redis client.
"""

from __future__ import annotations

import json
import logging
import math
from itertools import dropwhile
from urllib.parse import quote

import redis

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

# ARGV[1] is the message id line; the items of that message get the findings ARGV[2].
_AMEND = """
local items = redis.call('LRANGE', KEYS[1], 0, -1)
for i, item in ipairs(items) do
  local first = string.find(item, '\\n', 1, true)
  if first and string.sub(item, 1, first - 1) == ARGV[1] then
    local second = string.find(item, '\\n', first + 1, true)
    redis.call('LSET', KEYS[1], i - 1, string.sub(item, 1, second) .. ARGV[2])
  end
end
"""
_FORGET = """
local items = redis.call('LRANGE', KEYS[1], 0, -1)
for _, item in ipairs(items) do
  local first = string.find(item, '\\n', 1, true)
  if first and string.sub(item, 1, first - 1) == ARGV[1] then
    redis.call('LREM', KEYS[1], 0, item)
  end
end
"""


class RedisWindow:
    """A :class:`redaction.window.WindowStore` in Redis, bounded like the in-memory one
    in entries per sender and age; Redis's key expiry replaces the in-memory LRU."""

    def __init__(self, client: redis.Redis, config: RedactorConfig, *, prefix: str) -> None:
        self._redis = client
        self._size = max(1, config.window_messages)
        self._ttl = config.window_seconds
        self._ttl_ms = max(1, math.ceil(config.window_seconds * 1000))
        self._prefix = prefix
        self._amend = client.register_script(_AMEND)
        self._forget = client.register_script(_FORGET)

    @classmethod
    def from_url(
        cls, url: str, config: RedactorConfig, *, prefix: str, timeout: float = DEFAULT_TIMEOUT
    ) -> RedisWindow:
        client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
        return cls(client, config, prefix=prefix)

    def recent(self, key: WindowKey, now: float) -> list[Entry]:
        if self._size == 1:
            return []
        try:
            items = self._redis.lrange(self._key(key), 1 - self._size, -1)
            entries = [_load(item) for item in items]
        except (redis.RedisError, ValueError) as error:
            _degrade("read", key, error)
            return []
        return list(dropwhile(lambda entry: entry.timestamp < now - self._ttl, entries))

    def add(self, key: WindowKey, entry: Entry) -> None:
        name = self._key(key)
        try:
            with self._redis.pipeline() as pipe:
                pipe.rpush(name, _dump(entry))
                pipe.ltrim(name, -self._size, -1)
                pipe.pexpire(name, self._ttl_ms)
                pipe.execute()
        except redis.RedisError as error:
            _degrade("add", key, error)

    def amend(self, key: WindowKey, message_id: str, findings: tuple[Finding, ...]) -> None:
        args = [_line(message_id), _line(findings_to_data(findings))]
        try:
            self._amend(keys=[self._key(key)], args=args)
        except redis.RedisError as error:
            _degrade("amend", key, error)

    def forget(self, key: WindowKey, message_id: str) -> None:
        try:
            self._forget(keys=[self._key(key)], args=[_line(message_id)])
        except redis.RedisError as error:
            _degrade("forget", key, error)

    def _key(self, key: WindowKey) -> str:
        conversation, sender = key
        return f"{self._prefix}:{quote(conversation, safe='')}:{quote(sender, safe='')}"


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


def _degrade(operation: str, key: WindowKey, error: Exception) -> None:
    logger.warning(
        "split-message window in Redis: %s for conversation %s, sender %s failed (%s); "
        "going on without it", operation, key[0], key[1], error,
    )
