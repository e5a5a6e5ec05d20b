"""What keeping the split-message window in Redis adds to each message.

The seeded message mix of ``python -m redaction bench`` (about 60 characters, one in ten
with a contact detail, some split over two messages, 500 conversations) goes through two
engines on one thread: one with the in-process window, one with
:class:`messaging.window_store.RedisWindow` on the given Redis. The figures are wall-clock
(a Redis round trip is waiting, not CPU), so run it on a quiet machine; the best of a
few passes is kept. Also shown: how many Redis operations (one round trip each) a message
costs on average. The keys go under a prefix of the run's own, deleted at the end.

Run from the project root (figures are recorded in docs/redaction.md)::

    .venv/bin/python -m bench.window_store --redis redis://127.0.0.1:6379/0
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid
from collections import Counter

import redis

from messaging.window_store import RedisWindow
from redaction import Context, Redactor, RedactorConfig
from redaction.bench import messages
from redaction.types import Finding
from redaction.window import Entry, WindowKey, WindowStore


class Counting:
    """A store that counts the operations it passes on."""

    def __init__(self, store: WindowStore) -> None:
        self.store = store
        self.calls: Counter[str] = Counter()

    def recent(self, key: WindowKey, now: float) -> list[Entry]:
        self.calls["recent"] += 1
        return self.store.recent(key, now)

    def add(self, key: WindowKey, entry: Entry) -> None:
        self.calls["add"] += 1
        self.store.add(key, entry)

    def amend(self, key: WindowKey, message_id: str, findings: tuple[Finding, ...]) -> None:
        self.calls["amend"] += 1
        self.store.amend(key, message_id, findings)

    def forget(self, key: WindowKey, message_id: str) -> None:
        self.calls["forget"] += 1
        self.store.forget(key, message_id)


def _pass(redactor: Redactor, mix: list[tuple[str, Context]]) -> list[float]:
    latencies = []
    for text, context in mix:
        begin = time.perf_counter()
        redactor.redact(text, context)
        latencies.append(time.perf_counter() - begin)
    return latencies


def _line(name: str, latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p99 = ordered[int(0.99 * (len(ordered) - 1))]
    return (f"  {name:8} mean {statistics.fmean(latencies) * 1e6:7.1f} µs   "
            f"p50 {statistics.median(latencies) * 1e6:7.1f} µs   p99 {p99 * 1e6:7.1f} µs")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.window_store", description=__doc__)
    parser.add_argument("--redis", required=True, help="Redis URL, e.g. redis://127.0.0.1:6379/0")
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3, help="passes; the best one is shown")
    options = parser.parse_args(argv)
    if options.messages < 100 or options.repeat < 1:
        parser.error("--messages must be at least 100 and --repeat at least 1")

    config = RedactorConfig()
    client = redis.Redis.from_url(options.redis)
    prefix = f"bench-window-{uuid.uuid4().hex[:12]}"
    best: dict[str, list[float]] = {}
    counted = Counting(RedisWindow(client, config, prefix=prefix))
    try:
        for number in range(options.repeat):
            # Each pass has conversations of its own, so every pass starts with empty windows.
            mix = [(text, Context(f"p{number}-{c.conversation}", c.sender, c.message_id, (),
                                  c.timestamp))
                   for text, c in messages(options.messages)]
            stores = {"memory": Redactor(config),
                      "redis": Redactor(config, window=counted if number == 0 else
                                        RedisWindow(client, config, prefix=prefix))}
            for name, redactor in stores.items():
                for text, _ in mix[:200]:  # warm caches (lru_cache, regex), no window
                    redactor.redact(text)
                latencies = _pass(redactor, mix)
                if name not in best or sum(latencies) < sum(best[name]):
                    best[name] = latencies
        # One pass's footprint: lists only for senders whose window holds a fragment.
        held = list(client.scan_iter(match=f"{prefix}:p0-*"))
        held_bytes = sum(client.memory_usage(key) or 0 for key in held)
        senders = len({(c.conversation, c.sender) for _, c in messages(options.messages)})
    finally:
        stale = list(client.scan_iter(match=f"{prefix}:*"))
        if stale:
            client.delete(*stale)
    print(f"{options.messages} typical messages, one thread, wall clock, best of "
          f"{options.repeat} passes; Redis at {options.redis}")
    for name, latencies in best.items():
        print(_line(name, latencies))
    pings = []
    for _ in range(2000):
        begin = time.perf_counter()
        client.ping()
        pings.append(time.perf_counter() - begin)
    print(f"  one round trip (PING) p50 {statistics.median(pings) * 1e6:.1f} µs")
    added = statistics.fmean(best["redis"]) - statistics.fmean(best["memory"])
    per_message = {op: n / options.messages for op, n in sorted(counted.calls.items())}
    print(f"  Redis after one pass: {len(held)} lists for {senders} senders, "
          f"{held_bytes / 1024:.0f} KiB (MEMORY USAGE)")
    print(f"  added by Redis: {added * 1e6:.1f} µs per message; Redis operations per message: "
          + ", ".join(f"{op} {n:.2f}" for op, n in per_message.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
